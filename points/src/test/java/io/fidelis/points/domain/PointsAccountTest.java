package io.fidelis.points.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.points.domain.PointsAccount.Change;
import io.fidelis.points.domain.PointsAccount.Context;
import io.fidelis.points.domain.PointsAccount.Outcome;

class PointsAccountTest {

	static final ZoneId PARIS = ZoneId.of("Europe/Paris");
	static final Instant T0 = Instant.parse("2026-03-10T10:00:00Z");
	static final Source TILL = new Source(Channel.IN_STORE, "FR", "paris-01", null, "receipt-1");

	static PointRules rules(int pendingDays, ExpiryPolicy expiry, ReturnPolicy returns) {
		return new PointRules("acme", PARIS, Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)), 10,
				pendingDays, expiry, returns, true);
	}

	static final PointRules PLAIN = rules(0, new ExpiryPolicy.Never(), ReturnPolicy.WITHIN_BALANCE);

	static Context at(Instant t, String tx) {
		return new Context(t, TILL, tx, null, null);
	}

	static Change applied(Outcome outcome) {
		assertThat(outcome).isInstanceOf(Outcome.Applied.class);
		return ((Outcome.Applied) outcome).change();
	}

	static Refusal refused(Outcome outcome) {
		assertThat(outcome).isInstanceOf(Outcome.Refused.class);
		return ((Outcome.Refused) outcome).refusal();
	}

	final PointsAccount empty = PointsAccount.open("m_1", "acme", T0);

	@Test
	void earningCreditsALotAndRedeemingSpendsTheSoonestExpiringFirst() {
		PointRules yearly = rules(0, new ExpiryPolicy.RollingMonths(12), ReturnPolicy.WITHIN_BALANCE);
		PointsAccount a = applied(empty.earn(100, yearly, at(T0, "p1"))).account();
		a = applied(a.earn(50, rules(0, new ExpiryPolicy.RollingMonths(1), ReturnPolicy.WITHIN_BALANCE),
				at(T0.plusSeconds(60), "p2"))).account();

		Change redeemed = applied(a.redeem(60, PLAIN, at(T0.plusSeconds(120), "r1")));

		assertThat(redeemed.account().available()).isEqualTo(90);
		// the 1-month lot went first, then 10 from the 12-month lot
		assertThat(redeemed.account().lots()).extracting(Lot::transaction, Lot::remaining)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("p1", 90L),
						org.assertj.core.groups.Tuple.tuple("p2", 0L));
		assertThat(redeemed.last().type()).isEqualTo(EntryType.REDEEMED);
		assertThat(redeemed.last().availableAfter()).isEqualTo(90);
		assertThat(redeemed.account().lifetimeRedeemed()).isEqualTo(60);
		assertThat(redeemed.account().version()).isEqualTo(3);
	}

	@Test
	void notEnoughPointsOrTooFewIsRefusedAndChangesNothing() {
		PointsAccount a = applied(empty.earn(30, PLAIN, at(T0, "p1"))).account();
		assertThat(refused(a.redeem(31, PLAIN, at(T0, "r"))).reason()).isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);
		assertThat(refused(a.redeem(5, PLAIN, at(T0, "r"))).message()).contains("smallest redemption");
		assertThatThrownBy(() -> a.redeem(0, PLAIN, at(T0, "r"))).isInstanceOf(InvalidPoints.class);
		assertThatThrownBy(() -> a.earn(-5, PLAIN, at(T0, "e"))).isInstanceOf(InvalidPoints.class);
		assertThatThrownBy(() -> a.earn(Points.MAX_PER_OPERATION + 1, PLAIN, at(T0, "e")))
				.isInstanceOf(InvalidPoints.class);
		assertThat(a.available()).isEqualTo(30);
	}

	@Test
	void pendingPointsCannotBeSpentUntilTheyActivate() {
		PointRules returnWindow = rules(14, new ExpiryPolicy.Never(), ReturnPolicy.PENDING_ONLY);
		PointsAccount a = applied(empty.earn(100, returnWindow, at(T0, "p1"))).account();

		assertThat(a.pending()).isEqualTo(100);
		assertThat(a.available()).isZero();
		assertThat(refused(a.redeem(10, returnWindow, at(T0.plus(Duration.ofDays(13)), "r"))).reason())
				.isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);

		Change activated = a.catchUp(T0.plus(Duration.ofDays(14)));
		assertThat(activated.entries()).singleElement().satisfies(e -> {
			assertThat(e.type()).isEqualTo(EntryType.ACTIVATED);
			assertThat(e.availableDelta()).isEqualTo(100);
			assertThat(e.pendingDelta()).isEqualTo(-100);
		});
		assertThat(activated.account().available()).isEqualTo(100);
		assertThat(activated.account().catchUp(T0.plus(Duration.ofDays(20))).entries()).isEmpty();
	}

	@Test
	void pointsExpireAtTheEndOfTheYearInTheProgramsTimeZone() {
		PointRules yearly = rules(0, new ExpiryPolicy.PeriodEnd(12), ReturnPolicy.WITHIN_BALANCE);
		PointsAccount a = applied(empty.earn(100, yearly, at(T0, "p1"))).account();
		Instant newYearParis = Instant.parse("2026-12-31T23:00:00Z");

		assertThat(a.lots().get(0).expiresAt()).isEqualTo(newYearParis);
		assertThat(a.catchUp(newYearParis.minusSeconds(1)).entries()).isEmpty();
		Change expired = a.catchUp(newYearParis);
		assertThat(expired.entries()).extracting(Entry::type, Entry::availableDelta)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(EntryType.EXPIRED, -100L));
		assertThat(expired.account().available()).isZero();
	}

	@Test
	void rollingExpiryCountsMonthsFromTheLocalDayOfEarning() {
		// 23:30 in Paris on 31 January is still 31 January there
		Instant lateEvening = Instant.parse("2026-01-31T22:30:00Z");
		Instant expires = new ExpiryPolicy.RollingMonths(1).expiryOf(lateEvening, PARIS);
		assertThat(expires).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
	}

	@Test
	void aRefundUnderPendingOnlyTakesBackPendingPointsButNotSpendableOnes() {
		PointRules window = rules(14, new ExpiryPolicy.Never(), ReturnPolicy.PENDING_ONLY);
		PointsAccount a = applied(empty.earn(100, window, at(T0, "p1"))).account();

		Change reversed = applied(a.reverse("p1", null, window, at(T0.plus(Duration.ofDays(2)), "refund-1")));
		assertThat(reversed.account().pending()).isZero();
		assertThat(reversed.last().pendingDelta()).isEqualTo(-100);

		PointsAccount b = applied(empty.earn(100, window, at(T0, "p2"))).account();
		assertThat(refused(b.reverse("p2", null, window, at(T0.plus(Duration.ofDays(15)), "refund-2"))).message())
				.contains("no longer pending");
	}

	@Test
	void aRefundWithinTheBalanceNeverGoesBelowZero() {
		PointsAccount a = applied(empty.earn(100, PLAIN, at(T0, "p1"))).account();
		a = applied(a.redeem(80, PLAIN, at(T0, "r1"))).account();

		Change reversed = applied(a.reverse("p1", null, PLAIN, at(T0, "refund")));

		assertThat(reversed.account().available()).isZero();
		assertThat(reversed.last().availableDelta()).isEqualTo(-20);
		assertThat(refused(reversed.account().reverse("p1", null, PLAIN, at(T0, "again"))).reason())
				.isEqualTo(Refusal.Reason.CONFLICT);
	}

	@Test
	void aRefundThatNamesNoTillCountsWhereThePurchaseWasMade() {
		PointsAccount a = applied(empty.earn(100, PLAIN, at(T0, "p1"))).account();
		Source web = new Source(Channel.ONLINE, "DE", null, null, "rma-7");

		Change unnamed = applied(a.reverse("p1", 30L, PLAIN, new Context(T0, null, "p1", "refund", null)));
		Change named = applied(unnamed.account().reverse("p1", 30L, PLAIN, new Context(T0, web, "p1", "refund", null)));

		assertThat(unnamed.last().source()).isEqualTo(TILL);
		assertThat(named.last().source()).isEqualTo(web);
	}

	static Context by(String caller, Instant t, String tx) {
		return new Context(t, TILL, tx, null, null, null, caller);
	}

	@Test
	void aClientTakesBackOnlyWhatItRecordedAndStaffTakeBackAny() {
		// two tills of two clients both number a receipt "r-1": two purchases
		PointsAccount a = applied(empty.earn(20, PLAIN, by("client:pos-a", T0, "r-1"))).account();
		a = applied(a.earn(30, PLAIN, by("client:pos-b", T0, "r-1"))).account();
		a = applied(a.earn(5, PLAIN, by("staff:ana", T0, "goodwill-1"))).account();
		assertThat(a.lots()).extracting(Lot::recordedBy).containsExactly("client:pos-a", "client:pos-b", "staff:ana");

		assertThat(refused(a.reverse("goodwill-1", null, PLAIN, at(T0, "x"), "client:pos-a")).reason())
				.isEqualTo(Refusal.Reason.NOT_FOUND);
		assertThat(refused(a.reverse("r-1", 21L, PLAIN, at(T0, "x"), "client:pos-a")).message())
				.isEqualTo("Only 20 points of transaction 'r-1' are left to reverse");
		assertThat(refused(a.reverse("r-1", null, PLAIN, at(T0, "x"), "client:pos-c")).reason())
				.isEqualTo(Refusal.Reason.NOT_FOUND);

		Change byB = applied(a.reverse("r-1", null, PLAIN, at(T0, "refund-b"), "client:pos-b"));
		assertThat(byB.last().availableDelta()).isEqualTo(-30);
		assertThat(byB.account().lots()).extracting(Lot::recordedBy, Lot::remaining, Lot::reversed)
				.containsExactly(tuple("client:pos-a", 20L, 0L), tuple("client:pos-b", 0L, 30L), tuple("staff:ana", 5L, 0L));
		assertThat(refused(byB.account().reverse("r-1", null, PLAIN, at(T0, "again"), "client:pos-b")).reason())
				.isEqualTo(Refusal.Reason.CONFLICT);

		Change byStaff = applied(byB.account().reverse("r-1", null, PLAIN, at(T0, "refund-staff")));
		assertThat(byStaff.last().availableDelta()).isEqualTo(-20);
		assertThat(byStaff.account().available()).isEqualTo(5);
	}

	@Test
	void aLotCreditedBeforeItsRecorderWasKeptMayBeTakenBackByAnyClient() {
		PointsAccount a = applied(empty.earn(20, PLAIN, at(T0, "r-1"))).account();
		assertThat(a.lots()).extracting(Lot::recordedBy).containsOnlyNulls();

		assertThat(applied(a.reverse("r-1", null, PLAIN, at(T0, "refund"), "client:pos-a")).last().availableDelta())
				.isEqualTo(-20);
	}

	@Test
	void aRefundWhereNegativeIsAllowedBecomesDebtThatTheNextCreditPays() {
		PointRules lenient = rules(0, new ExpiryPolicy.Never(), ReturnPolicy.ALLOW_NEGATIVE);
		PointsAccount a = applied(empty.earn(100, lenient, at(T0, "p1"))).account();
		a = applied(a.redeem(80, lenient, at(T0, "r1"))).account();

		PointsAccount owing = applied(a.reverse("p1", null, lenient, at(T0, "refund"))).account();
		assertThat(owing.available()).isEqualTo(-80);
		assertThat(owing.debt()).isEqualTo(80);

		PointsAccount paid = applied(owing.earn(100, lenient, at(T0, "p2"))).account();
		assertThat(paid.available()).isEqualTo(20);
		assertThat(paid.debt()).isZero();
	}

	@Test
	void partialRefundsCannotTogetherTakeMoreThanThePurchaseEarned() {
		PointsAccount a = applied(empty.earn(100, PLAIN, at(T0, "p1"))).account();
		a = applied(a.reverse("p1", 60L, PLAIN, at(T0, "refund-1"))).account();
		assertThat(refused(a.reverse("p1", 41L, PLAIN, at(T0, "refund-2"))).message()).contains("Only 40 points");
		assertThat(applied(a.reverse("p1", 40L, PLAIN, at(T0, "refund-2"))).account().available()).isZero();
		assertThat(refused(a.reverse("unknown", null, PLAIN, at(T0, "x"))).reason()).isEqualTo(Refusal.Reason.NOT_FOUND);
	}

	@Test
	void staffAdjustmentsGoBothWays() {
		PointsAccount a = applied(empty.adjust(50, PLAIN, at(T0, "goodwill"))).account();
		assertThat(a.available()).isEqualTo(50);
		assertThat(refused(a.adjust(-60, PLAIN, at(T0, "fix"))).reason()).isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);
		assertThat(applied(a.adjust(-50, PLAIN, at(T0, "fix"))).account().available()).isZero();
		assertThatThrownBy(() -> a.adjust(0, PLAIN, at(T0, "fix"))).isInstanceOf(InvalidPoints.class);
	}

	@Test
	void aProgramOnlyEarnsAndRedeemsOnItsOwnChannels() {
		PointRules onlineOnly = new PointRules("acme", PARIS, Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)),
				1, 0, new ExpiryPolicy.Never(), ReturnPolicy.WITHIN_BALANCE, true, java.util.EnumSet.of(Channel.ONLINE));
		assertThat(refused(empty.earn(10, onlineOnly, at(T0, "p1"))).message()).contains("channel IN_STORE");
		PointsAccount a = applied(empty.earn(10, onlineOnly,
				new Context(T0, new Source(Channel.ONLINE, null, null, null, null), "p2", null, null))).account();
		assertThat(refused(a.redeem(5, onlineOnly, at(T0, "r"))).reason()).isEqualTo(Refusal.Reason.VALIDATION);
	}

	@Test
	void moneyBecomesPointsAtTheProgramsRateAndRounding() {
		assertThat(new EarnRate(new BigDecimal("1.5"), RoundingMode.DOWN).pointsFor(new BigDecimal("9.99"))).isEqualTo(14);
		assertThat(new EarnRate(new BigDecimal("1.5"), RoundingMode.HALF_UP).pointsFor(new BigDecimal("9.99"))).isEqualTo(15);
		assertThatThrownBy(() -> new EarnRate(BigDecimal.ZERO, RoundingMode.DOWN)).isInstanceOf(InvalidPoints.class);
		assertThat(PointRules.defaults("acme", PARIS, Set.of("EUR", "USD")).rateFor("GBP")).isEmpty();
	}
}
