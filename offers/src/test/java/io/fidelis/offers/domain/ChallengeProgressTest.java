package io.fidelis.offers.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a purchase counts towards each kind of challenge, and that a challenge completes once. */
class ChallengeProgressTest {

	static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

	static Challenge challenge(String id, Challenge.Goal goal, String target, String category) {
		return new Challenge("acme", id, "Challenge " + id, null, goal, new BigDecimal(target), category, T0,
				T0.plus(Duration.ofDays(31)), 100, true);
	}

	static List<ChallengeProgress.Line> lines(String... categoryAmount) {
		return java.util.stream.IntStream.range(0, categoryAmount.length / 2)
				.mapToObj(i -> new ChallengeProgress.Line(categoryAmount[2 * i], new BigDecimal(categoryAmount[2 * i + 1])))
				.toList();
	}

	@Test
	void eachKindCountsWhatItNamesAndCompletesOnceNamingItsOrder() {
		Challenge three = challenge("three", Challenge.Goal.PURCHASES, "3", null);
		Challenge coffee = challenge("coffee", Challenge.Goal.SPEND, "10.00", "coffee");
		Challenge stores = challenge("stores", Challenge.Goal.STORES, "2", null);
		List<Challenge> running = List.of(three, coffee, stores);
		ChallengeProgress p = ChallengeProgress.of("m_1", "acme");

		ChallengeProgress.Applied first = p.purchased("pos:1", T0.plusSeconds(10), lines("coffee", "4.50", "bakery", "2"),
				"paris", running);
		assertThat(first.completed()).isEmpty();
		p = first.after();
		assertThat(p.of("three").purchases()).isEqualTo(1);
		assertThat(p.of("coffee").spend()).isEqualByComparingTo("4.50");
		assertThat(p.of("coffee").share(coffee)).isEqualByComparingTo("0.45");

		ChallengeProgress.Applied second = p.purchased("pos:2", T0.plusSeconds(20), lines("bakery", "3"), "lyon", running);
		assertThat(second.completed()).as("two stores").containsExactly("stores");
		p = second.after();
		assertThat(p.of("coffee").purchases()).as("no coffee line: not counted").isEqualTo(1);

		ChallengeProgress.Applied third = p.purchased("pos:3", T0.plusSeconds(30), lines("coffee", "6.00"), "lyon", running);
		assertThat(third.completed()).containsExactlyInAnyOrder("three", "coffee");
		p = third.after();
		assertThat(p.of("three").completedBy()).isEqualTo("pos:3");

		ChallengeProgress.Applied again = p.purchased("pos:3", T0.plusSeconds(30), lines("coffee", "6.00"), "lyon", running);
		assertThat(again.after()).as("an order counts once").isSameAs(p);
		assertThat(again.completed()).as("its completions are told again, to be paid once by their key")
				.containsExactlyInAnyOrder("three", "coffee");
		ChallengeProgress.Applied later = p.purchased("pos:4", T0.plusSeconds(40), lines("coffee", "6.00"), "nice", running);
		assertThat(later.completed()).as("a completed challenge completes once").isEmpty();
		assertThat(later.after().of("three").purchases()).isEqualTo(3);
	}

	@Test
	void aStreakCountsWeeksInARowAndStartsAgainAfterAWeekWithout() {
		Challenge streak = new Challenge("acme", "streak", "Three weeks", null, Challenge.Goal.STREAK_WEEKS,
				new BigDecimal("3"), "coffee", T0, T0.plus(Duration.ofDays(120)), 100, true);
		Instant monday = Instant.parse("2026-12-07T09:00:00Z"); // a Monday
		ChallengeProgress p = ChallengeProgress.of("m_1", "acme");
		int[] weeks = { 0, 0, 1, 3, 2, 4 }; // week 2 arrives late: it neither extends nor breaks what came after
		long[] streaks = { 1, 1, 2, 1, 1, 2 };
		for (int i = 0; i < weeks.length; i++) {
			Instant at = monday.plus(Duration.ofDays(7L * weeks[i] + i % 2 * 6)); // Mondays and Sundays
			ChallengeProgress.Applied applied = p.purchased("pos:" + i, at, lines("coffee", "3"), null, List.of(streak));
			assertThat(applied.completed()).isEmpty();
			p = applied.after();
			assertThat(p.of("streak").streak()).as("after the purchase of week %d", weeks[i]).isEqualTo(streaks[i]);
		}
		assertThat(p.purchased("pos:tea", monday.plus(Duration.ofDays(35)), lines("tea", "3"), null, List.of(streak)).after()
				.of("streak").streak()).as("a purchase without the category does not count").isEqualTo(2);
		ChallengeProgress.Applied third = p.purchased("pos:9", monday.plus(Duration.ofDays(35)), lines("coffee", "3"), null,
				List.of(streak));
		assertThat(third.completed()).containsExactly("streak");
		assertThat(third.after().of("streak").share(streak)).isEqualByComparingTo("1");
	}

	@Test
	void onlyPurchasesWithinTheWindowOfAnActiveChallengeCount() {
		Challenge window = challenge("w", Challenge.Goal.PURCHASES, "1", null);
		Challenge stopped = new Challenge("acme", "s", "Stopped", null, Challenge.Goal.PURCHASES, BigDecimal.ONE, null, T0,
				T0.plus(Duration.ofDays(31)), 100, false);
		ChallengeProgress p = ChallengeProgress.of("m_1", "acme");
		assertThat(p.purchased("pos:0", T0.minusSeconds(1), lines("x", "1"), null, List.of(window, stopped)).completed()).isEmpty();
		assertThat(p.purchased("pos:1", T0.plus(Duration.ofDays(31)), lines("x", "1"), null, List.of(window)).completed())
				.isEmpty();
		assertThat(p.purchased("pos:2", T0, lines("x", "1"), null, List.of(window, stopped)).completed()).containsExactly("w");
	}

	@Test
	void badChallengesAreRefusedNamingTheField() {
		assertField(() -> challenge("a b", Challenge.Goal.PURCHASES, "3", null), "challengeId");
		assertField(() -> challenge("c", Challenge.Goal.PURCHASES, "2.5", null), "target");
		assertField(() -> challenge("c", Challenge.Goal.STORES, "1001", null), "target");
		assertField(() -> challenge("c", Challenge.Goal.SPEND, "0", null), "target");
		assertField(() -> challenge("c", Challenge.Goal.SPEND, "1.001", null), "target");
		assertField(() -> challenge("c", Challenge.Goal.STORES, "2", "coffee"), "category");
		assertField(() -> new Challenge("acme", "c", "C", null, Challenge.Goal.PURCHASES, BigDecimal.ONE, null, T0, T0, 100,
				true), "validUntil");
		assertField(() -> new Challenge("acme", "c", "C", null, Challenge.Goal.PURCHASES, BigDecimal.ONE, null, T0,
				T0.plusSeconds(1), 0, true), "rewardPoints");
		assertField(() -> new Challenge("acme", "c", " ", null, Challenge.Goal.PURCHASES, BigDecimal.ONE, null, T0,
				T0.plusSeconds(1), 1, true), "name");
	}

	private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable definition, String field) {
		assertThatThrownBy(definition).isInstanceOfSatisfying(InvalidOffer.class, e -> assertThat(e.field()).isEqualTo(field));
	}
}
