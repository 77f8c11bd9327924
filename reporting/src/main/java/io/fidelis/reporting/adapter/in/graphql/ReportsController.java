package io.fidelis.reporting.adapter.in.graphql;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;
import io.fidelis.reporting.domain.InvalidReport;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.application.RecordingActivity;
import io.fidelis.reporting.application.ReportSettings;
import io.fidelis.reporting.domain.Dimension;
import io.fidelis.reporting.domain.Figures;
import io.fidelis.reporting.domain.Grouping;
import io.fidelis.reporting.domain.Report;

/** Report queries and the admin's reporting settings. */
@Controller
@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_ANALYST')")
class ReportsController {

	private final ReadingReports reports;

	ReportsController(ReadingReports reports) {
		this.reports = reports;
	}

	record ProgramReportView(String programId, String from, String to, Grouping groupBy, Dimension by,
			MoneyView costPerPoint, String currency, List<RowView> allRows, FiguresView totals, Double breakageRate) {
	}

	/** The schema's Money: an amount and its currency; null when either is unknown. */
	record MoneyView(BigDecimal amount, String currency) {
		static MoneyView of(BigDecimal amount, String currency) {
			return amount == null || currency == null ? null : new MoneyView(amount, currency);
		}
	}

	record RowView(String period, String key, FiguresView figures, LiabilityView liability, Long members,
			List<TierCountView> tiers) {
	}

	record FiguresView(long issued, long reversed, long redeemed, long expired, long adjusted, long transferred,
			long netChange, long enrollments, Long activeMembers, Double breakageRate) {

		/** The field's former spelling, deprecated in the schema. */
		public long enrolments() {
			return enrollments;
		}
	}

	record LiabilityView(long points, MoneyView value, String currency) {
	}

	record TierCountView(String tier, long members) {
	}

	record PlaceView(String name, long issued, long redeemed, long reversed) {
	}

	record ReportSettingsInput(String programId, BigDecimal costPerPoint, Currency currency) {
	}

	record ReportSettingsView(String programId, MoneyView costPerPoint, String currency) {
	}

	record SetReportSettingsPayload(ReportSettingsView settings) {
	}

	record RebuildReportsInput(String programId) {
	}

	record RebuildReportsPayload(String programId, int activities, int days) {
	}

	@QueryMapping
	ProgramReportView programReport(@Argument String programId, @Argument LocalDate from, @Argument LocalDate to,
			@Argument Grouping groupBy, @Argument Dimension by, @AuthenticationPrincipal Caller caller) {
		Report report = reports.report(caller, programId, from.toString(), to.toString(), groupBy == null ? null : groupBy.name(),
				by == null ? null : by.name());
		return view(report);
	}

	/** A page of the rows; a row's cursor names its period and key, unique within a report. */
	@SchemaMapping(typeName = "ProgramReport")
	ListConnection<RowView> rows(ProgramReportView report, @Argument Integer first, @Argument String after) {
		return ListConnection.of(report.allRows(), row -> row.period() + "|" + (row.key() == null ? "" : row.key()),
				first == null ? 100 : first, after, 1000, InvalidReport::new);
	}

	static ProgramReportView view(Report report) {
		List<RowView> rows = report.rows().stream().map(row -> new RowView(row.period(), row.key(),
				figures(row.figures(), report.grouping()),
				row.liability() == null ? null : new LiabilityView(row.liability(),
						MoneyView.of(report.value(row.liability()), report.currency()), report.currency()),
				row.members(),
				row.tiers() == null ? null : row.tiers().entrySet().stream()
						// no tier has one name everywhere: here, in the CSV downloads and on the dashboard
						.map(t -> new TierCountView(t.getKey().isEmpty() ? Report.NONE : t.getKey(), t.getValue()))
						.toList()))
				.toList();
		return new ProgramReportView(report.program(), report.range().from().toString(), report.range().to().toString(),
				report.grouping(), report.dimension(), MoneyView.of(report.costPerPoint(), report.currency()), report.currency(), rows,
				figures(report.totals(), null), Report.breakage(report.totals()));
	}

	static FiguresView figures(Figures f, Grouping grouping) {
		return new FiguresView(f.issued(), f.reversed(), f.redeemed(), f.expired(), f.adjusted(), f.transferred(),
				f.netChange(), f.enrolments(), grouping == null ? null : f.active(grouping), Report.breakage(f));
	}

	@QueryMapping
	List<PlaceView> topStores(@Argument String programId, @Argument LocalDate from, @Argument LocalDate to,
			@Argument Integer first, @AuthenticationPrincipal Caller caller) {
		return places(reports.top(caller, programId, from.toString(), to.toString(), Dimension.STORE, first == null ? 10 : first));
	}

	@QueryMapping
	List<PlaceView> topPartners(@Argument String programId, @Argument LocalDate from, @Argument LocalDate to,
			@Argument Integer first, @AuthenticationPrincipal Caller caller) {
		return places(reports.top(caller, programId, from.toString(), to.toString(), Dimension.PARTNER, first == null ? 10 : first));
	}

	record SettlementView(String partnerId, String name, long issued, long reversed, long redeemed,
			MoneyView owedByPartner, MoneyView owedToPartner, MoneyView net, String currency) {
	}

	@QueryMapping
	List<SettlementView> partnerSettlement(@Argument String programId, @Argument LocalDate from, @Argument LocalDate to,
			@AuthenticationPrincipal Caller caller) {
		return reports.settlement(caller, programId, from.toString(), to.toString()).stream().map(s -> new SettlementView(s.partnerId(),
				s.name(), s.issued(), s.reversed(), s.redeemed(), MoneyView.of(s.owedByPartner(), s.currency()),
				MoneyView.of(s.owedToPartner(), s.currency()), MoneyView.of(s.net(), s.currency()), s.currency())).toList();
	}

	@QueryMapping
	ListConnection<io.fidelis.offers.OfferFigures.Figures> offerReport(@Argument String programId, @Argument Integer first,
			@Argument String after, @AuthenticationPrincipal Caller caller) {
		List<io.fidelis.offers.OfferFigures.Figures> all = new java.util.ArrayList<>(reports.offerFigures(caller, programId));
		all.sort(java.util.Comparator.comparing(io.fidelis.offers.OfferFigures.Figures::offerId));
		return ListConnection.of(all, io.fidelis.offers.OfferFigures.Figures::offerId, first, after, InvalidReport::new);
	}

	private static List<PlaceView> places(List<Map.Entry<String, Figures>> ranked) {
		return ranked.stream().map(e -> new PlaceView(e.getKey(), e.getValue().issued(), e.getValue().redeemed(),
				e.getValue().reversed())).toList();
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetReportSettingsPayload setReportSettings(@Argument ReportSettingsInput input, @AuthenticationPrincipal Caller caller) {
		ReportSettings saved = reports.setCostPerPoint(caller, input.programId(), input.costPerPoint().toPlainString(),
				input.currency().getCurrencyCode());
		return new SetReportSettingsPayload(
				new ReportSettingsView(saved.program(), MoneyView.of(saved.costPerPoint(), saved.currency()), saved.currency()));
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	RebuildReportsPayload rebuildReports(@Argument RebuildReportsInput input, @AuthenticationPrincipal Caller caller) {
		RecordingActivity.Rebuilt rebuilt = reports.rebuild(caller, input.programId());
		return new RebuildReportsPayload(rebuilt.program(), rebuilt.activities(), rebuilt.days());
	}
}
