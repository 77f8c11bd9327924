package io.fidelis.reporting.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fidelis.reporting.domain.Activity.Kind;

class ReportTest {

	static Activity points(String id, Kind kind, String member, String at, long points, String region) {
		return new Activity(id, "acme", kind, member, Instant.parse(at), points, region, "ONLINE", "S1", null, null, null,
				false, false, false);
	}

	@Test
	void liability_members_and_tiers_at_each_period_end_are_worked_back_from_now() {
		List<Activity> activities = List.of(
				new Activity("e1", "acme", Kind.ENROLLED, "m1", Instant.parse("2026-03-01T09:00:00Z"), 0, null, "STAFF", null,
						null, null, null, false, false, false),
				points("p1", Kind.ISSUED, "m1", "2026-03-01T10:00:00Z", 500, "FR"),
				points("p2", Kind.REDEEMED, "m1", "2026-03-02T10:00:00Z", -200, "FR"),
				new Activity("t1", "acme", Kind.TIER_CHANGED, "m1", Instant.parse("2026-03-02T11:00:00Z"), 0, null, null, null,
						null, null, "Gold", false, false, false),
				points("p3", Kind.EXPIRED, "m1", "2026-03-03T10:00:00Z", -100, null),
				points("p4", Kind.ISSUED, "m1", "2026-03-05T10:00:00Z", 1_000, "DE")); // after the range
		Tally tally = Tally.of(activities, ZoneId.of("UTC"));

		Report report = Report.build("acme", new ReportRange(LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03")),
				Grouping.DAY, null, tally.days(), tally.totals(), new BigDecimal("0.01"), "EUR");

		assertThat(report.rows()).extracting(Report.Row::period).containsExactly("2026-03-02", "2026-03-03");
		assertThat(report.rows()).extracting(Report.Row::liability).containsExactly(300L, 200L);
		assertThat(report.rows()).extracting(Report.Row::members).containsExactly(1L, 1L);
		assertThat(report.rows().get(1).tiers()).isEqualTo(Map.of("Gold", 1L));
		assertThat(report.value(200)).isEqualByComparingTo("2.00");
		assertThat(report.totals().redeemed()).isEqualTo(-200);
		assertThat(report.totals().expired()).isEqualTo(-100);
		assertThat(report.rows().get(0).figures().activeDay()).isEqualTo(1);
	}

	@Test
	void rows_split_by_region_and_grouped_by_week_and_month() {
		List<Activity> activities = List.of(points("a", Kind.ISSUED, "m1", "2026-11-23T10:00:00Z", 10, "FR"),
				points("b", Kind.ISSUED, "m1", "2026-11-24T10:00:00Z", 20, "FR"),
				points("c", Kind.ISSUED, "m2", "2026-11-30T10:00:00Z", 40, null),
				points("d", Kind.ISSUED, "m2", "2026-12-01T10:00:00Z", 80, "DE"));
		Tally tally = Tally.of(activities, ZoneId.of("UTC"));
		ReportRange range = new ReportRange(LocalDate.parse("2026-11-23"), LocalDate.parse("2026-12-06"));

		Report weeks = Report.build("acme", range, Grouping.WEEK, null, tally.days(), tally.totals(), null, null);
		assertThat(weeks.rows()).extracting(Report.Row::period).containsExactly("2026-W48", "2026-W49");
		assertThat(weeks.rows()).extracting(r -> r.figures().issued()).containsExactly(30L, 120L);
		assertThat(weeks.rows()).extracting(r -> r.figures().active(Grouping.WEEK)).containsExactly(1L, 1L);

		Report months = Report.build("acme", range, Grouping.MONTH, Dimension.REGION, tally.days(), tally.totals(), null,
				null);
		assertThat(months.rows()).extracting(r -> r.period() + " " + r.key() + " " + r.figures().issued())
				.containsExactly("2026-11 (none) 40", "2026-11 FR 30", "2026-12 DE 80");
		assertThat(months.rows()).allSatisfy(r -> assertThat(r.liability()).isNull());
		assertThat(Report.top(tally.days(), range, Dimension.STORE, 5)).extracting(Map.Entry::getKey).containsExactly("S1");
	}

	@Test
	void ranges_that_cannot_be_answered_are_refused() {
		assertThatThrownBy(() -> ReportRange.parse("2026-03-02", "2026-03-01")).isInstanceOf(InvalidReport.class)
				.hasMessageContaining("before it starts");
		assertThatThrownBy(() -> ReportRange.parse("2020-01-01", "2025-01-02")).isInstanceOf(InvalidReport.class)
				.hasMessageContaining("at most 5 years");
		assertThatThrownBy(() -> ReportRange.parse("yesterday", "2026-03-01")).isInstanceOf(InvalidReport.class)
				.hasMessageContaining("from must be a day");
		assertThat(ReportRange.parse("2020-01-01", "2025-01-01").days()).isEqualTo(1828);
	}

	@Test
	void breakage_is_expired_over_issued() {
		assertThat(Report.breakage(new Figures(400, 0, 0, -100, 0, 0, 0, 0, 0, 0))).isEqualTo(0.25);
		assertThat(Report.breakage(Figures.NONE)).isNull();
	}
}
