package io.fidelis.points.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What a reward may be, and when it can be redeemed. */
class RewardTest {

	static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");

	static Reward reward(String id, long points, BigDecimal cash, String currency, Long stock, Integer limit, Instant from,
			Instant until, boolean active) {
		return new Reward("acme", id, "Coffee", null, points, cash, currency, stock, limit, from, until,
				Reward.Fulfilment.NONE, active);
	}

	@Test
	void badDefinitionsAreRefusedNamingTheField() {
		assertField(() -> reward("a b", 10, null, null, null, null, null, null, true), "rewardId");
		assertField(() -> reward("x".repeat(65), 10, null, null, null, null, null, null, true), "rewardId");
		assertField(() -> reward("c", 0, null, null, null, null, null, null, true), "points");
		assertField(() -> reward("c", 10, new BigDecimal("1.00"), null, null, null, null, null, true), "cashAmount");
		assertField(() -> reward("c", 10, new BigDecimal("-1"), "EUR", null, null, null, null, true), "cashAmount");
		assertField(() -> reward("c", 10, new BigDecimal("1.00001"), "EUR", null, null, null, null, true), "cashAmount");
		assertField(() -> reward("c", 10, new BigDecimal("1"), "eur", null, null, null, null, true), "cashCurrency");
		assertField(() -> reward("c", 10, null, null, -1L, null, null, null, true), "stock");
		assertField(() -> reward("c", 10, null, null, Reward.MAX_STOCK + 1, null, null, null, true), "stock");
		assertField(() -> reward("c", 10, null, null, null, 0, null, null, true), "perMemberLimit");
		assertField(() -> reward("c", 10, null, null, null, 1_001, null, null, true), "perMemberLimit");
		assertField(() -> reward("c", 10, null, null, null, null, T0, T0, true), "validUntil");
		assertField(() -> new Reward("acme", "c", "Coffee\nbreak", null, 10, null, null, null, null, null, null,
				Reward.Fulfilment.NONE, true), "name");
		assertField(() -> new Reward("acme", "c", "Coffee", null, 10, null, null, null, null, null, null, null, true),
				"fulfilment");
		assertField(() -> new Reward("acme", "c", "Coffee", null, 10, null, null, null, null, null, null,
				Reward.Fulfilment.NONE, true, 1L), "lowStockAt"); // no stock to run low
		assertField(() -> new Reward("acme", "c", "Coffee", null, 10, null, null, 5L, null, null, null,
				Reward.Fulfilment.NONE, true, 5L), "lowStockAt");
		assertField(() -> new Reward("acme", "c", "Coffee", null, 10, null, null, 5L, null, null, null,
				Reward.Fulfilment.NONE, true, -1L), "lowStockAt");
	}

	@Test
	void itCanBeRedeemedWhileActiveAndWithinItsWindow() {
		Reward windowed = reward("c", 10, new BigDecimal("1.50"), "EUR", 0L, 1, T0, T0.plusSeconds(60), true);
		assertThat(windowed.unavailableAt(T0.minusMillis(1))).contains("can be redeemed from");
		assertThat(windowed.unavailableAt(T0)).isNull();
		assertThat(windowed.unavailableAt(T0.plusSeconds(59))).isNull();
		assertThat(windowed.unavailableAt(T0.plusSeconds(60))).contains("could be redeemed until");
		assertThat(reward("c", 10, null, null, null, null, null, null, false).unavailableAt(T0)).contains("not offered");
		assertThat(reward("c", 10, null, null, null, null, null, null, true).unavailableAt(T0)).isNull();
	}

	private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable definition, String field) {
		assertThatThrownBy(definition).isInstanceOfSatisfying(InvalidPoints.class,
				e -> assertThat(e.field()).isEqualTo(field));
	}
}
