package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.ReturnPolicy;
import io.fidelis.points.domain.Source;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.application.RecordingActivity;
import io.fidelis.reporting.domain.Report;

/**
 * After a mixed workload over weeks of a clock the test moves (earnings with a return window,
 * redemptions, refunds, adjustments, transfers, activation and expiry), the reports' totals
 * equal the ledger's, type by type, and the liability equals the sum of balances. A rebuild
 * from reporting's kept activities gives the same figures.
 */
class ReportReconciliationTest extends LedgerUnderAMovingClock {

	@Autowired
	ReadingReports reports;
	@Autowired
	RecordingActivity recording;

	final Caller pos = new Caller.IntegrationClient("pos", Set.of("points:write", "members:write"));
	final Caller staff = new Caller.Staff("finance", Set.of("admin", "operator", "analyst"));

	@Test
	void reportTotalsEqualLedgerTotals() {
		ProgramId program = programWithRules("reconcile", Set.of("FR", "DE"), 3, new ExpiryPolicy.RollingMonths(1),
				ReturnPolicy.ALLOW_NEGATIVE);
		ZoneId zone = PARIS;
		LocalDate firstDay = LocalDate.ofInstant(CLOCK.instant(), zone);

		List<String> members = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			members.add(((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(pos, new EnrollMember(program,
					new EmailAddress(UUID.randomUUID() + "@example.com"), "M" + i, null, false, "v1",
					UUID.randomUUID().toString()))).member().id().value());
		}
		Random random = new Random(2026);
		List<String[]> purchases = new ArrayList<>();
		for (int step = 0; step < 160; step++) {
			String member = members.get(random.nextInt(members.size()));
			String region = random.nextBoolean() ? "FR" : "DE";
			int what = random.nextInt(10);
			MovingPoints.Moved moved;
			if (what < 4) {
				String tx = "order-" + step;
				moved = moving.move(pos, new Movement.Earn(member, 20L + random.nextInt(300), null, null,
						new Source(Channel.IN_STORE, region, "store-" + random.nextInt(3), null, tx), tx, key()), false);
				purchases.add(new String[] { member, tx });
			}
			else if (what < 6) {
				moved = moving.move(pos, new Movement.Redeem(member, 1 + random.nextInt(60),
						new Source(Channel.APP, region, null, null, null), "reward", null, key()), false);
			}
			else if (what == 6 && !purchases.isEmpty()) {
				String[] purchase = purchases.remove(random.nextInt(purchases.size()));
				moved = moving.move(pos, new Movement.Reverse(purchase[0], purchase[1], null, "returned", key()), false);
			}
			else if (what == 7) {
				int points = random.nextInt(100) - 40;
				moved = moving.move(staff, new Movement.Adjust(member, points == 0 ? 5 : points, "goodwill", key()), false);
			}
			else if (what == 8) {
				String other = members.get(random.nextInt(members.size()));
				moved = other.equals(member) ? null
						: moving.move(staff, new Movement.Transfer(member, other, 1 + random.nextInt(20), "gift", key()), false);
			}
			else {
				moved = null;
			}
			// refusals (not enough points) are part of a real workload; they change nothing
			if (random.nextInt(4) == 0) {
				CLOCK.advance(Duration.ofHours(10 + random.nextInt(30)));
				clockWork.runDue();
			}
			assertThat(moved == null || moved instanceof MovingPoints.Moved.Done
					|| moved instanceof MovingPoints.Moved.Refused).isTrue();
		}
		CLOCK.advance(Duration.ofDays(40)); // everything activates, a month's earnings expire
		clockWork.runDue();
		clockWork.runDue();
		LocalDate lastDay = LocalDate.ofInstant(CLOCK.instant(), zone);

		Map<EntryType, Long> ledger = new EnumMap<>(EntryType.class);
		long balances = 0;
		for (String member : members) {
			var account = reading.account(new MemberId(member)).orElseThrow();
			balances += account.available() + account.pending();
			for (Entry e : reading.history(account, null, 10_000,
					new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries()) {
				ledger.merge(e.type(), e.delta(), Long::sum);
			}
		}
		assertThat(ledger.get(EntryType.EXPIRED)).as("the workload reached expiry").isNegative();
		assertThat(ledger.get(EntryType.REVERSED)).as("the workload had refunds").isNegative();
		long expectedBalances = balances;

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Report report = reports.report(staff, program.value(), firstDay.toString(), lastDay.toString(), "WEEK", null);
			assertThat(report.totals().issued()).isEqualTo(ledger.get(EntryType.EARNED));
			assertThat(report.totals().redeemed()).isEqualTo(ledger.getOrDefault(EntryType.REDEEMED, 0L));
			assertThat(report.totals().reversed()).isEqualTo(ledger.get(EntryType.REVERSED));
			assertThat(report.totals().expired()).isEqualTo(ledger.get(EntryType.EXPIRED));
			assertThat(report.totals().adjusted()).isEqualTo(ledger.getOrDefault(EntryType.ADJUSTED, 0L));
			assertThat(report.totals().transferred()).isEqualTo(ledger.getOrDefault(EntryType.TRANSFERRED_OUT, 0L)
					+ ledger.getOrDefault(EntryType.TRANSFERRED_IN, 0L));
			assertThat(report.totals().enrolments()).isEqualTo(members.size());
			assertThat(report.rows().get(report.rows().size() - 1).liability()).isEqualTo(expectedBalances);
			assertThat(report.rows().get(0).liability()).as("worked back to the first week").isNotNull();
		});

		Report before = reports.report(staff, program.value(), firstDay.toString(), lastDay.toString(), "DAY", null);
		recording.rebuild(program.value());
		Report after = reports.report(staff, program.value(), firstDay.toString(), lastDay.toString(), "DAY", null);
		assertThat(after.totals()).isEqualTo(before.totals());
		assertThat(after.rows()).extracting(Report.Row::liability)
				.containsExactlyElementsOf(before.rows().stream().map(Report.Row::liability).toList());
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}
}
