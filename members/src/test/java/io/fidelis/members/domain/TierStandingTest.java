package io.fidelis.members.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class TierStandingTest {

	static final ZoneId PARIS = ZoneId.of("Europe/Paris");
	static final TierPolicy LADDER = new TierPolicy(List.of(new TierPolicy.Tier("Gold", 1000),
			new TierPolicy.Tier("Silver", 500), new TierPolicy.Tier("Platinum", 5000)), TierPolicy.Metric.POINTS_EARNED,
			12, 30);
	static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

	TierStanding fresh = TierStanding.fresh("m_1", "acme");

	@Test
	void reachingAThresholdUpgradesAtOnceAndShowsTheWayToTheNext() {
		TierStanding.Update update = fresh.record(680, 1, T0, 1, LADDER, PARIS, T0);

		assertThat(update.standing().effectiveTier(T0)).isEqualTo("Silver");
		assertThat(update.change()).hasValueSatisfying(c -> assertThat(c).containsExactly(null, "Silver", "UPGRADE"));
		long qualifying = LADDER.qualifying(update.standing().monthly(), T0, PARIS);
		assertThat(LADDER.progress(qualifying)).hasValueSatisfying(p -> assertThat(p.describe()).isEqualTo("320 points to Gold"));
	}

	@Test
	void theSameActivityDeliveredTwiceCountsOnce() {
		TierStanding once = fresh.record(300, 1, T0, 7, LADDER, PARIS, T0).standing();
		TierStanding.Update twice = once.record(300, 1, T0, 7, LADDER, PARIS, T0);
		assertThat(twice.standing()).isEqualTo(once);
		assertThat(twice.change()).isEmpty();
	}

	@Test
	void aTierIsKeptUntilItsReviewAndLostOnlyThenIfNotRequalified() {
		TierStanding gold = fresh.record(1200, 1, T0, 1, LADDER, PARIS, T0).standing();
		Instant review = gold.reviewAt();
		assertThat(review).isEqualTo(T0.atZone(PARIS).plusMonths(12).plusDays(30).toInstant());

		// a year later the window is empty, but the review date has not come
		Instant beforeReview = review.minus(Duration.ofDays(1));
		TierStanding.Update early = gold.evaluate(LADDER, PARIS, beforeReview);
		assertThat(early.standing().effectiveTier(beforeReview)).isEqualTo("Gold");
		assertThat(early.change()).isEmpty();

		TierStanding.Update due = gold.evaluate(LADDER, PARIS, review);
		assertThat(due.standing().effectiveTier(review)).isNull();
		assertThat(due.change()).hasValueSatisfying(c -> assertThat(c).containsExactly("Gold", null, "DOWNGRADE"));
		assertThat(due.standing().evaluate(LADDER, PARIS, review).change()).isEmpty();
	}

	@Test
	void aManualTierEndsOnItsDateAndIsNoFloor() {
		Instant until = T0.plus(Duration.ofDays(90));
		TierStanding.Update assigned = fresh.assign("Platinum", until, LADDER, T0);
		assertThat(assigned.standing().effectiveTier(T0)).isEqualTo("Platinum");
		assertThat(assigned.change()).hasValueSatisfying(c -> assertThat(c[2]).isEqualTo("MANUAL"));

		TierStanding.Update ended = assigned.standing().evaluate(LADDER, PARIS, until);
		assertThat(ended.standing().effectiveTier(until)).isNull();
		assertThat(ended.change()).hasValueSatisfying(c -> assertThat(c).containsExactly("Platinum", null, "MANUAL_ENDED"));

		assertThatThrownBy(() -> fresh.assign("Diamond", until, LADDER, T0)).isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> fresh.assign("Gold", T0.minusSeconds(1), LADDER, T0)).isInstanceOf(InvalidInput.class);
	}

	@Test
	void refundsCountAgainstTheWindow() {
		TierStanding silver = fresh.record(600, 1, T0, 1, LADDER, PARIS, T0).standing();
		TierStanding refunded = silver.record(-400, 0, T0, 2, LADDER, PARIS, T0).standing();
		assertThat(LADDER.qualifying(refunded.monthly(), T0, PARIS)).isEqualTo(200);
		assertThat(refunded.effectiveTier(T0)).isEqualTo("Silver"); // kept until review
	}

	@Test
	void moneySpentCountsInTheLaddersCurrencyInWholeUnits() {
		TierPolicy spend = new TierPolicy(List.of(new TierPolicy.Tier("Gold", 1000)), TierPolicy.Metric.MONEY_SPENT, 12, 0,
				"EUR");
		TierStanding s = fresh.record(10, 1, 87_550, T0, 1, spend, PARIS, T0).standing(); // 875.50 EUR
		assertThat(spend.qualifying(s.monthly(), T0, PARIS)).isEqualTo(875);
		assertThat(spend.progress(875)).hasValueSatisfying(p -> assertThat(p.describe()).isEqualTo("125 EUR to Gold"));
		assertThat(s.record(10, 1, 12_500, T0, 2, spend, PARIS, T0).standing().effectiveTier(T0)).isEqualTo("Gold");
		assertThatThrownBy(() -> new TierPolicy(List.of(new TierPolicy.Tier("Gold", 1000)), TierPolicy.Metric.MONEY_SPENT,
				12, 0)).isInstanceOf(InvalidInput.class).hasMessageContaining("currency");
	}

	@Test
	void aLadderIsOrderedAndUnambiguous() {
		assertThat(LADDER.ladder()).extracting(TierPolicy.Tier::name).containsExactly("Silver", "Gold", "Platinum");
		assertThatThrownBy(() -> new TierPolicy(List.of(new TierPolicy.Tier("A", 10), new TierPolicy.Tier("B", 10)),
				TierPolicy.Metric.TRANSACTIONS, 12, 0)).isInstanceOf(InvalidInput.class);
	}
}
