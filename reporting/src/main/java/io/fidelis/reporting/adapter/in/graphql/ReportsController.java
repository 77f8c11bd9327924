package io.fidelis.reporting.adapter.in.graphql;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
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
			String costPerPoint, String currency, List<RowView> rows, FiguresView totals, Double breakageRate) {
	}

	record RowView(String period, String key, FiguresView figures, LiabilityView liability, Long members,
			List<TierCountView> tiers) {
	}

	record FiguresView(long issued, long reversed, long redeemed, long expired, long adjusted, long transferred,
			long netChange, long enrolments, Long activeMembers, Double breakageRate) {
	}

	record LiabilityView(long points, String value, String currency) {
	}

	record TierCountView(String tier, long members) {
	}

	record PlaceView(String name, long issued, long redeemed, long reversed) {
	}

	record ReportSettingsInput(String programId, String costPerPoint, String currency) {
	}

	record ReportSettingsView(String programId, String costPerPoint, String currency) {
	}

	record SetReportSettingsPayload(ReportSettingsView settings) {
	}

	record RebuildReportsInput(String programId) {
	}

	record RebuildReportsPayload(String programId, int activities, int days) {
	}

	@QueryMapping
	ProgramReportView programReport(@Argument String programId, @Argument String from, @Argument String to,
			@Argument Grouping groupBy, @Argument Dimension by, @AuthenticationPrincipal Caller caller) {
		Report report = reports.report(caller, programId, from, to, groupBy == null ? null : groupBy.name(),
				by == null ? null : by.name());
		return view(report);
	}

	static ProgramReportView view(Report report) {
		List<RowView> rows = report.rows().stream().map(row -> new RowView(row.period(), row.key(),
				figures(row.figures(), report.grouping()),
				row.liability() == null ? null : new LiabilityView(row.liability(), plain(report.value(row.liability())),
						report.currency()),
				row.members(),
				row.tiers() == null ? null : row.tiers().entrySet().stream()
						// no tier has one name everywhere: here, in the CSV downloads and on the dashboard
						.map(t -> new TierCountView(t.getKey().isEmpty() ? Report.NONE : t.getKey(), t.getValue()))
						.toList()))
				.toList();
		return new ProgramReportView(report.program(), report.range().from().toString(), report.range().to().toString(),
				report.grouping(), report.dimension(), plain(report.costPerPoint()), report.currency(), rows,
				figures(report.totals(), null), Report.breakage(report.totals()));
	}

	private static String plain(BigDecimal value) {
		return value == null ? null : value.toPlainString();
	}

	static FiguresView figures(Figures f, Grouping grouping) {
		return new FiguresView(f.issued(), f.reversed(), f.redeemed(), f.expired(), f.adjusted(), f.transferred(),
				f.netChange(), f.enrolments(), grouping == null ? null : f.active(grouping), Report.breakage(f));
	}

	@QueryMapping
	List<PlaceView> topStores(@Argument String programId, @Argument String from, @Argument String to,
			@Argument Integer first, @AuthenticationPrincipal Caller caller) {
		return places(reports.top(caller, programId, from, to, Dimension.STORE, first == null ? 10 : first));
	}

	@QueryMapping
	List<PlaceView> topPartners(@Argument String programId, @Argument String from, @Argument String to,
			@Argument Integer first, @AuthenticationPrincipal Caller caller) {
		return places(reports.top(caller, programId, from, to, Dimension.PARTNER, first == null ? 10 : first));
	}

	record SettlementView(String partnerId, String name, long issued, long reversed, long redeemed,
			String owedByPartner, String owedToPartner, String net, String currency) {
	}

	@QueryMapping
	List<SettlementView> partnerSettlement(@Argument String programId, @Argument String from, @Argument String to,
			@AuthenticationPrincipal Caller caller) {
		return reports.settlement(caller, programId, from, to).stream().map(s -> new SettlementView(s.partnerId(),
				s.name(), s.issued(), s.reversed(), s.redeemed(), s.owedByPartner().toPlainString(),
				s.owedToPartner().toPlainString(), s.net().toPlainString(), s.currency())).toList();
	}

	@QueryMapping
	List<io.fidelis.offers.OfferFigures.Figures> offerReport(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return reports.offerFigures(caller, programId);
	}

	private static List<PlaceView> places(List<Map.Entry<String, Figures>> ranked) {
		return ranked.stream().map(e -> new PlaceView(e.getKey(), e.getValue().issued(), e.getValue().redeemed(),
				e.getValue().reversed())).toList();
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetReportSettingsPayload setReportSettings(@Argument ReportSettingsInput input, @AuthenticationPrincipal Caller caller) {
		ReportSettings saved = reports.setCostPerPoint(caller, input.programId(), input.costPerPoint(), input.currency());
		return new SetReportSettingsPayload(
				new ReportSettingsView(saved.program(), saved.costPerPoint().toPlainString(), saved.currency()));
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	RebuildReportsPayload rebuildReports(@Argument RebuildReportsInput input, @AuthenticationPrincipal Caller caller) {
		RecordingActivity.Rebuilt rebuilt = reports.rebuild(caller, input.programId());
		return new RebuildReportsPayload(rebuilt.program(), rebuilt.activities(), rebuilt.days());
	}
}
