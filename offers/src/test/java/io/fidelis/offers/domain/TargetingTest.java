package io.fidelis.offers.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TargetingTest {

	static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

	static Offer bonus(Offer.Trigger trigger, List<Condition> conditions) {
		return new Offer("o1", "acme", "Bonus", Offer.Kind.BONUS, null, null, 100, 0, null, NOW.minusSeconds(60),
				NOW.plusSeconds(3_600), 1, 0, 0, 0, false, Set.of(), Set.of("fr"), Set.of("Gold"), trigger, conditions, true, NOW);
	}

	@Test
	void conditions_judge_facts_and_say_what_they_saw() {
		MemberFacts facts = MemberFacts.of("m1", "acme").enrolled(NOW.minus(Duration.ofDays(40))).withTier("Gold")
				.purchased(NOW.minus(Duration.ofDays(3)), new BigDecimal("60.00"), Set.of("fuel"), "paris-01", "FR")
				.purchased(NOW.minus(Duration.ofDays(45)), new BigDecimal("500.00"), Set.of("tv"), "lyon-02", "FR")
				.withBalance(250, 4);
		List<Condition.Evaluated> judged = bonus(Offer.Trigger.PURCHASE, List.of(
				new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.GTE, "50", 30),
				new Condition(Condition.Fact.VISITS_LAST_DAYS, Condition.Operator.EQ, "2", 60),
				new Condition(Condition.Fact.DAYS_SINCE_LAST_PURCHASE, Condition.Operator.LTE, "7", null),
				new Condition(Condition.Fact.ENROLLED_DAYS, Condition.Operator.GTE, "30", null),
				new Condition(Condition.Fact.BOUGHT_CATEGORY, Condition.Operator.IN, "fuel, bakery", null),
				new Condition(Condition.Fact.BOUGHT_AT_STORE, Condition.Operator.EQ, "lyon-02", null),
				new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, "200", null)))
				.judge(facts, "IN_STORE", NOW);
		assertThat(judged).allMatch(Condition.Evaluated::matched);
		assertThat(judged).extracting(Condition.Evaluated::actual).contains("FR", "Gold", "60", "2", "3", "40", "fuel,tv",
				"lyon-02,paris-01", "250");

		MemberFacts silver = facts.withTier("Silver");
		assertThat(bonus(Offer.Trigger.PURCHASE, List.of()).judge(silver, null, NOW))
				.filteredOn(e -> e.fact().equals("TIER")).singleElement().satisfies(e -> {
					assertThat(e.matched()).isFalse();
					assertThat(e.actual()).isEqualTo("Silver");
				});
	}

	/** Spend in the last N days is exactly the sum of the purchases inside the window, whatever their order. */
	@RepeatedTest(20)
	void spend_windows_add_up(RepetitionInfo repetition) {
		Random random = new Random(13L * repetition.getCurrentRepetition());
		MemberFacts facts = MemberFacts.of("m", "acme");
		BigDecimal inside = BigDecimal.ZERO;
		int window = 1 + random.nextInt(90);
		int visitsInside = 0;
		for (int i = 0; i < 40; i++) {
			int daysAgo = random.nextInt(400);
			BigDecimal spend = BigDecimal.valueOf(random.nextInt(10_000), 2);
			facts = facts.purchased(NOW.minus(Duration.ofDays(daysAgo)), spend, Set.of("c"), "s", null);
			if (daysAgo < window) {
				inside = inside.add(spend);
				visitsInside++;
			}
		}
		assertThat(new BigDecimal(new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.GTE, "0", window)
				.evaluate(facts, NOW).actual())).isEqualByComparingTo(inside);
		assertThat(new Condition(Condition.Fact.VISITS_LAST_DAYS, Condition.Operator.GTE, "0", window).evaluate(facts, NOW)
				.actual()).isEqualTo(Integer.toString(visitsInside));
	}

	@Test
	void contradictory_overlapping_and_ill_formed_offers_are_refused() {
		assertThatThrownBy(() -> bonus(Offer.Trigger.PURCHASE, List.of(
				new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.GTE, "100", 30),
				new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.LTE, "50", 30))))
				.isInstanceOf(InvalidOffer.class).hasMessageContaining("contradict");
		assertThatThrownBy(() -> bonus(Offer.Trigger.PURCHASE, List.of(
				new Condition(Condition.Fact.TIER, Condition.Operator.EQ, "Gold", null),
				new Condition(Condition.Fact.TIER, Condition.Operator.EQ, "Silver", null))))
				.isInstanceOf(InvalidOffer.class).hasMessageContaining("contradict");
		assertThatThrownBy(() -> bonus(Offer.Trigger.PURCHASE, List.of(
				new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, "10", null),
				new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, "20", null))))
				.isInstanceOf(InvalidOffer.class).hasMessageContaining("overlap");
		// a range is fine: the same fact bounded on both sides
		assertThat(bonus(Offer.Trigger.PURCHASE, List.of(
				new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, "10", null),
				new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.LTE, "20", null))).conditions()).hasSize(2);
		assertThatThrownBy(() -> new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.GTE, "10", null))
				.isInstanceOf(InvalidOffer.class).hasMessageContaining("days");
		assertThatThrownBy(() -> new Condition(Condition.Fact.TIER, Condition.Operator.GTE, "Gold", null))
				.isInstanceOf(InvalidOffer.class);
		assertThatThrownBy(() -> new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, "lots", null))
				.isInstanceOf(InvalidOffer.class);
		assertThatThrownBy(() -> new Offer("o", "acme", "x", Offer.Kind.BONUS, null, null, 10, 0, null, NOW, NOW.minusSeconds(1), 1,
				0, 0, 0, false, Set.of(), Set.of(), Set.of(), Offer.Trigger.PURCHASE, List.of(), true, NOW))
				.isInstanceOf(InvalidOffer.class).hasMessageContaining("end must come after its start");
		assertThatThrownBy(() -> bonus(Offer.Trigger.INACTIVITY, List.of())).isInstanceOf(InvalidOffer.class);
	}

	@Test
	void birthday_month_matches_a_month_or_the_current_one() {
		MemberFacts november = MemberFacts.of("m", "acme").withBirthMonth(11);
		Condition current = new Condition(Condition.Fact.BIRTH_MONTH, Condition.Operator.EQ, "CURRENT", null);
		assertThat(current.evaluate(november, NOW).matched()).isTrue(); // NOW is in November
		assertThat(current.evaluate(november, NOW.plus(Duration.ofDays(10))).matched()).isFalse();
		assertThat(new Condition(Condition.Fact.BIRTH_MONTH, Condition.Operator.IN, "10, 11", null).evaluate(november, NOW).matched())
				.isTrue();
		assertThat(current.evaluate(MemberFacts.of("m", "acme"), NOW).matched()).as("no birth date given").isFalse();
		assertThatThrownBy(() -> new Condition(Condition.Fact.BIRTH_MONTH, Condition.Operator.EQ, "0", null))
				.isInstanceOf(InvalidOffer.class);
	}

	@Test
	void a_newer_balance_only_and_a_year_of_days_kept() {
		MemberFacts facts = MemberFacts.of("m", "acme").withBalance(100, 5).withBalance(50, 3);
		assertThat(facts.balance()).isEqualTo(100);
		for (int day = 0; day < 800; day += 7) {
			facts = facts.purchased(Instant.parse("2024-01-01T10:00:00Z").plus(Duration.ofDays(day)), BigDecimal.ONE, Set.of(), null, null);
		}
		assertThat(facts.dailySpend()).hasSizeLessThanOrEqualTo(MemberFacts.KEPT_DAYS / 7 + 2);
	}
}
