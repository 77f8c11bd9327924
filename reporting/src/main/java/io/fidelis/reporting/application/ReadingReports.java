package io.fidelis.reporting.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.ProgramId;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Dimension;
import io.fidelis.reporting.domain.Figures;
import io.fidelis.reporting.domain.Grouping;
import io.fidelis.reporting.domain.InvalidReport;
import io.fidelis.reporting.domain.Report;
import io.fidelis.reporting.domain.ReportRange;

/** Answers report questions for staff who may see the program. */
@Service
public class ReadingReports {

	/** Roles that read figures; admins also set what a point costs and rebuild. */
	public static final List<String> READERS = List.of("admin", "analyst");

	private final ReportStore store;
	private final MemberDirectory directory;
	private final RecordingActivity recording;
	private final Clock clock;
	private final io.fidelis.points.Partners partners;
	private final io.fidelis.offers.OfferFigures offers;

	ReadingReports(ReportStore store, MemberDirectory directory, RecordingActivity recording, Clock clock,
			io.fidelis.points.Partners partners, io.fidelis.offers.OfferFigures offers) {
		this.offers = offers;
		this.partners = partners;
		this.store = store;
		this.directory = directory;
		this.recording = recording;
		this.clock = clock;
	}

	/** A refusal that is not about the request's shape: who asks, or which program. */
	public static class NotAllowed extends RuntimeException {
		private final String code;

		public NotAllowed(String code, String message) {
			super(message);
			this.code = code;
		}

		public String code() {
			return code;
		}
	}

	public Report report(Caller caller, String program, String from, String to, String grouping, String dimension) {
		ReportRange range = ReportRange.parse(from, to);
		Grouping cut = parse(Grouping.class, "groupBy", grouping == null ? "DAY" : grouping);
		Dimension by = dimension == null || dimension.isBlank() ? null : parse(Dimension.class, "by", dimension);
		check(caller, program);
		LocalDate today = LocalDate.now(clock.withZone(recording.zone(program)));
		LocalDate until = range.to().isAfter(today) ? range.to() : today;
		Map<LocalDate, DayFigures> days = store.days(program, range.from(), until);
		Optional<ReportSettings> settings = store.settings(program);
		return Report.build(program, range, cut, by, days, store.totals(program),
				settings.map(ReportSettings::costPerPoint).orElse(null), settings.map(ReportSettings::currency).orElse(null));
	}

	public List<Map.Entry<String, Figures>> top(Caller caller, String program, String from, String to,
			Dimension dimension, int first) {
		ReportRange range = ReportRange.parse(from, to);
		if (first < 1 || first > 100) {
			throw new InvalidReport("first", "first is 1 to 100");
		}
		check(caller, program);
		return Report.top(store.days(program, range.from(), range.to()), range, dimension, first);
	}

	/**
	 * What each coalition partner and the program owe each other for a period: the partner pays
	 * its issue cost for every point its customers kept (issued less reversed), the program pays
	 * the redemption value for every point spent with the partner.
	 */
	public record Settlement(String partnerId, String name, long issued, long reversed, long redeemed,
			java.math.BigDecimal owedByPartner, java.math.BigDecimal owedToPartner, java.math.BigDecimal net,
			String currency) {
	}

	public List<Settlement> settlement(Caller caller, String program, String from, String to) {
		ReportRange range = ReportRange.parse(from, to);
		check(caller, program);
		Map<String, Figures> byPartner = new java.util.HashMap<>();
		Report.top(store.days(program, range.from(), range.to()), range, Dimension.PARTNER, Integer.MAX_VALUE)
				.forEach(e -> byPartner.put(e.getKey(), e.getValue()));
		return partners.partnersOf(new io.fidelis.members.ProgramId(program)).stream().map(p -> {
			Figures f = byPartner.get(p.partnerId());
			long issued = f == null ? 0 : f.issued();
			// the figures keep movements signed as the ledger does (reversals and redemptions negative)
			long reversed = f == null ? 0 : Math.abs(f.reversed());
			long redeemed = f == null ? 0 : Math.abs(f.redeemed());
			java.math.BigDecimal byPartnerOwed = p.issueCost().multiply(java.math.BigDecimal.valueOf(issued - reversed))
					.setScale(2, java.math.RoundingMode.HALF_EVEN);
			java.math.BigDecimal toPartner = p.redemptionValue().multiply(java.math.BigDecimal.valueOf(redeemed))
					.setScale(2, java.math.RoundingMode.HALF_EVEN);
			return new Settlement(p.partnerId(), p.name(), issued, reversed, redeemed, byPartnerOwed, toPartner,
					toPartner.subtract(byPartnerOwed), p.settlementCurrency());
		}).toList();
	}

	/** Every offer of the program with its performance, as the offers module counts it. */
	public List<io.fidelis.offers.OfferFigures.Figures> offerFigures(Caller caller, String program) {
		check(caller, program);
		return offers.figuresOf(new io.fidelis.members.ProgramId(program));
	}

	public ReportSettings setCostPerPoint(Caller caller, String program, String costPerPoint, String currency) {
		check(caller, program);
		if (!(caller instanceof Caller.Staff staff) || !staff.hasRole("admin")) {
			throw new NotAllowed("FORBIDDEN", "Only staff admins set what a point costs");
		}
		BigDecimal cost;
		try {
			cost = new BigDecimal(costPerPoint == null ? "" : costPerPoint.strip());
		}
		catch (NumberFormatException e) {
			throw new InvalidReport("costPerPoint", "costPerPoint is a decimal such as 0.01, not '" + costPerPoint + "'");
		}
		if (cost.signum() < 0 || cost.compareTo(BigDecimal.valueOf(1_000)) > 0) {
			throw new InvalidReport("costPerPoint", "costPerPoint is between 0 and 1000");
		}
		if (currency == null || !currency.strip().matches("[A-Za-z]{3}")) {
			throw new InvalidReport("currency", "currency is an ISO 4217 code such as EUR");
		}
		ReportSettings settings = new ReportSettings(program, cost, currency.strip().toUpperCase(Locale.ROOT));
		store.save(settings);
		return settings;
	}

	public RecordingActivity.Rebuilt rebuild(Caller caller, String program) {
		check(caller, program);
		if (!(caller instanceof Caller.Staff staff) || !staff.hasRole("admin")) {
			throw new NotAllowed("FORBIDDEN", "Only staff admins rebuild reports");
		}
		return recording.rebuild(program);
	}

	/** Staff with a reading role, limited to the programs their token names (if it names any). */
	private void check(Caller caller, String program) {
		if (!(caller instanceof Caller.Staff staff) || READERS.stream().noneMatch(staff::hasRole)) {
			throw new NotAllowed("FORBIDDEN", "Reports are for staff with the admin or analyst role");
		}
		ProgramId id;
		try {
			id = new ProgramId(program);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidReport("programId", e.getMessage());
		}
		if (!staff.mayReach(id)) {
			throw new NotAllowed("FORBIDDEN", Caller.outOfReach(id));
		}
		if (directory.timeZoneOf(id).isEmpty()) {
			throw new NotAllowed("NOT_FOUND", "There is no program '" + program + "'");
		}
	}

	private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
		try {
			return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new InvalidReport(field, field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
					+ ", not '" + value + "'");
		}
	}
}
