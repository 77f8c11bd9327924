package io.fidelis.offers.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A purchase announced again (a till's retry, a redelivered event) is counted once. */
class MemberFactsTest {

	static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");

	@Test
	void anOrderAnnouncedAgainIsCountedOnce() {
		MemberFacts once = MemberFacts.of("m1", "acme").purchased("pos:R-1", AT, new BigDecimal("20.00"), Set.of("fuel"),
				"paris-01", "FR");
		MemberFacts again = once.purchased("pos:R-1", AT, new BigDecimal("20.00"), Set.of("fuel"), "paris-01", "FR");
		assertThat(again).isSameAs(once);
		assertThat(again.spendSince(AT, 1)).isEqualByComparingTo("20.00");
		assertThat(again.visitsSince(AT, 1)).isEqualTo(1);
		// the same order id from another client is another order
		MemberFacts other = again.purchased("web:R-1", AT, new BigDecimal("5.00"), Set.of(), null, null);
		assertThat(other.visitsSince(AT, 1)).isEqualTo(2);
	}

	@Test
	void onlyTheLastOrdersAreRemembered() {
		MemberFacts facts = MemberFacts.of("m1", "acme");
		for (int i = 0; i <= MemberFacts.RECENT_ORDERS; i++) {
			facts = facts.purchased("pos:R-" + i, AT, BigDecimal.ONE, Set.of(), null, null);
		}
		assertThat(facts.recentOrders()).hasSize(MemberFacts.RECENT_ORDERS).doesNotContain("pos:R-0")
				.endsWith("pos:R-" + MemberFacts.RECENT_ORDERS);
		assertThat(facts.visitsSince(AT, 1)).isEqualTo(MemberFacts.RECENT_ORDERS + 1);
		// without an order to tell it by, every announcement counts (what callers without one did before)
		assertThat(facts.purchased(AT, BigDecimal.ONE, Set.of(), null, null).visitsSince(AT, 1))
				.isEqualTo(MemberFacts.RECENT_ORDERS + 2);
	}
}
