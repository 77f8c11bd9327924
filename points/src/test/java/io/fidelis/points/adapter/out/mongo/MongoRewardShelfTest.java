package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import io.fidelis.points.application.RewardShelf;
import io.fidelis.points.application.RewardShelf.Redemption;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;

/**
 * The catalog round-trips; each step of a redemption on the stock and the holds counts once
 * however often it is repeated (a retry after a crash repeats the step it was at), also when
 * copies race; a redemption changes only from the revision it was read at.
 */
class MongoRewardShelfTest {

	static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");

	EmbeddedStore store;
	SimpleMongoClientDatabaseFactory factory;
	MongoRewardShelf shelf;

	@BeforeEach
	void connect() {
		store = new EmbeddedStore();
		factory = store.database("points_rewards_test");
		shelf = new MongoRewardShelf(factory);
	}

	@AfterEach
	void stop() {
		store.close();
	}

	static Reward coffee(Long stock) {
		return new Reward("acme", "coffee", "A coffee", "Any size", 150, new BigDecimal("0.50"), "EUR", stock, 2, T0,
				T0.plusSeconds(86_400), Reward.Fulfilment.GENERATED_CODE, true);
	}

	@Test
	void the_catalog_reads_back_as_defined_and_its_stock_is_a_total() {
		assertThat(shelf.define(coffee(3L))).isTrue();
		Reward tea = new Reward("acme", "tea", "Tea", null, 10, null, null, null, null, null, null, Reward.Fulfilment.NONE, false);
		shelf.define(tea);
		shelf.define(new Reward("globex", "coffee", "Globex coffee", null, 5, null, null, 1L, null, null, null,
				Reward.Fulfilment.NONE, true));

		assertThat(shelf.rewards("acme")).containsExactly(new RewardShelf.Shelved(coffee(3L), 3L),
				new RewardShelf.Shelved(tea, null));
		assertThat(shelf.reward("globex", "coffee").orElseThrow().remaining()).isEqualTo(1);
		assertThat(shelf.rewards("initech")).isEmpty();

		assertThat(shelf.takeUnit("acme", "coffee", "r1")).isEqualTo(2);
		assertThat(shelf.takeUnit("acme", "coffee", "r2")).isEqualTo(1);
		assertThat(shelf.define(coffee(1L))).as("below the 2 units handed out").isFalse();
		assertThat(shelf.reward("acme", "coffee").orElseThrow().remaining()).isEqualTo(1);
		assertThat(shelf.define(coffee(10L))).isTrue();
		assertThat(shelf.reward("acme", "coffee").orElseThrow().remaining()).isEqualTo(8);
		assertThat(shelf.define(coffee(null))).as("no limit any more").isTrue();
		assertThat(shelf.reward("acme", "coffee").orElseThrow().remaining()).isNull();
	}

	@Test
	void a_unit_is_taken_kept_released_and_returned_once_each_however_often_asked() {
		shelf.define(coffee(2L));
		assertThat(shelf.takeUnit("acme", "coffee", "r1")).as("the units left after it").isEqualTo(1);
		assertThat(shelf.takeUnit("acme", "coffee", "r1")).as("the retry finds its unit pending").isEqualTo(1);
		assertThat(remaining()).isEqualTo(1);
		shelf.keepUnit("acme", "coffee", "r1");
		shelf.releaseUnit("acme", "coffee", "r1"); // kept: no longer pending, so nothing to release
		assertThat(remaining()).isEqualTo(1);

		assertThat(shelf.takeUnit("acme", "coffee", "r2")).isZero();
		assertThat(shelf.takeUnit("acme", "coffee", "r3")).as("sold out").isNull();
		shelf.releaseUnit("acme", "coffee", "r2");
		shelf.releaseUnit("acme", "coffee", "r2");
		assertThat(remaining()).as("released once").isEqualTo(1);

		shelf.returnUnit("acme", "coffee", "r1", null);
		shelf.returnUnit("acme", "coffee", "r1", null); // a refund's retry before it recorded the return
		assertThat(remaining()).as("returned once").isEqualTo(2);
		shelf.forgetReturn("acme", "coffee", "r1");
		assertThat(shelf.takeUnit("acme", "coffee", "r4")).isEqualTo(1);
		assertThat(shelf.takeUnit("acme", "coffee", "r5")).isZero();
		assertThat(shelf.takeUnit("acme", "coffee", "r6")).isNull();
	}

	@Test
	void a_pools_codes_are_imported_once_each_and_drawn_once_each() {
		Reward vouchers = new Reward("acme", "vouchers", "Cinema voucher", null, 500, null, null, null, null, null, null,
				Reward.Fulfilment.POOL, true, 1L);
		shelf.define(vouchers);
		assertThat(shelf.reward("acme", "vouchers").orElseThrow().remaining()).as("an empty pool").isZero();
		assertThat(shelf.draw("acme", "vouchers", "r0")).isNull();

		assertThat(shelf.importCodes("acme", "vouchers", List.of("A1", "A2", "A3", "A4", "A5")))
				.contains(new RewardShelf.Imported(5, 0, 5));
		assertThat(shelf.importCodes("acme", "vouchers", List.of("A1", "A2", "A3", "A4", "A5"))).as("sent again")
				.contains(new RewardShelf.Imported(0, 5, 5));
		assertThat(shelf.importCodes("acme", "vouchers", List.of("A4", "A5", "A6"))).as("two of them known")
				.contains(new RewardShelf.Imported(1, 2, 6));
		assertThat(shelf.importCodes("acme", "coffee", List.of("B1"))).as("no such pool").isEmpty();
		assertThat(shelf.reward("acme", "vouchers").orElseThrow().remaining()).isEqualTo(6);

		java.util.Map<String, String> drawn = new java.util.LinkedHashMap<>();
		for (int i = 1; i <= 6; i++) {
			RewardShelf.Drawn d = shelf.draw("acme", "vouchers", "r" + i);
			assertThat(d.left()).isEqualTo(6 - i);
			drawn.put("r" + i, d.code());
		}
		assertThat(drawn.values()).containsExactlyInAnyOrder("A1", "A2", "A3", "A4", "A5", "A6");
		assertThat(shelf.draw("acme", "vouchers", "r7")).as("every code handed out").isNull();
		assertThat(shelf.draw("acme", "vouchers", "r1").code()).as("a retry draws its own code again").isEqualTo(drawn.get("r1"));

		shelf.releaseUnit("acme", "vouchers", "r2"); // refused before the code was shown: back to the pool
		shelf.releaseUnit("acme", "vouchers", "r2");
		assertThat(shelf.draw("acme", "vouchers", "r8").code()).isEqualTo(drawn.get("r2"));
		shelf.keepUnit("acme", "vouchers", "r1");
		shelf.returnUnit("acme", "vouchers", "r1", drawn.get("r1")); // refunded
		shelf.returnUnit("acme", "vouchers", "r1", drawn.get("r1"));
		assertThat(shelf.reward("acme", "vouchers").orElseThrow().remaining()).isEqualTo(1);
		assertThat(shelf.draw("acme", "vouchers", "r9").code()).isEqualTo(drawn.get("r1"));
		assertThat(shelf.draw("acme", "vouchers", "r10")).isNull();
	}

	@Test
	void racing_redemptions_take_no_more_units_than_the_stock() throws Exception {
		shelf.define(coffee(5L));
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Long>> takes = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				String redemption = "r" + (i % 12); // some of them copies of one another
				takes.add(() -> shelf.takeUnit("acme", "coffee", redemption));
			}
			java.util.Set<String> taken = new java.util.HashSet<>();
			List<Future<Long>> answers = pool.invokeAll(takes);
			for (int i = 0; i < answers.size(); i++) {
				if (answers.get(i).get() != null) {
					taken.add("r" + (i % 12));
				}
			}
			assertThat(taken).hasSize(5);
			assertThat(remaining()).isZero();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void a_member_holds_places_up_to_the_limit_each_redemption_once() {
		assertThat(shelf.hold("acme", "coffee", "m_1", "r1", 2)).isTrue();
		assertThat(shelf.hold("acme", "coffee", "m_1", "r1", 2)).isTrue();
		assertThat(shelf.hold("acme", "coffee", "m_1", "r2", 2)).isTrue();
		assertThat(shelf.hold("acme", "coffee", "m_1", "r3", 2)).as("full").isFalse();
		assertThat(shelf.hold("acme", "coffee", "m_2", "r4", 2)).as("another member's places").isTrue();
		shelf.release("acme", "coffee", "m_1", "r1");
		shelf.release("acme", "coffee", "m_1", "r1");
		assertThat(shelf.hold("acme", "coffee", "m_1", "r3", 2)).isTrue();
		assertThat(shelf.hold("acme", "coffee", "m_1", "r5", 2)).isFalse();
	}

	@Test
	void a_redemption_is_claimed_once_and_changes_only_from_the_revision_it_was_read_at() {
		Redemption fresh = new Redemption("rr_1", "fp", "acme", "coffee", "m_1", 150, "ABCD-EFGH-JKLM-NPQR", "client:pos",
				T0, "CLAIMED", null, false, false, 0, null, null, 0);
		assertThat(shelf.claim(fresh)).isSameAs(fresh);
		Redemption other = new Redemption("rr_1", "other", "acme", "tea", "m_2", 10, null, "client:pos", T0.plusSeconds(1),
				"CLAIMED", null, false, false, 0, null, null, 0);
		assertThat(shelf.claim(other)).as("the first claim stands").isEqualTo(fresh);

		Redemption refused = new Redemption("rr_1", "fp", "acme", "coffee", "m_1", 150, "ABCD-EFGH-JKLM-NPQR", "client:pos",
				T0, "REFUSED", new Refusal(Refusal.Reason.INSUFFICIENT_POINTS, "Only 20 points"), true, false, 0, null, null, 0);
		assertThat(shelf.advance(refused)).isTrue();
		assertThat(shelf.advance(refused)).as("read at revision 0, now at 1").isFalse();
		Redemption stored = shelf.redemption("rr_1").orElseThrow();
		assertThat(stored.rev()).isEqualTo(1);
		assertThat(stored.refusal()).isEqualTo(refused.refusal());
		assertThat(stored.stockTaken()).isTrue();

		shelf.listFor("m_1", "rr_1");
		shelf.listFor("m_1", "rr_1");
		assertThat(shelf.redemptionsOf("m_1")).extracting(Redemption::redemptionId).containsExactly("rr_1");
		assertThat(shelf.redemptionsOf("m_2")).isEmpty();
	}

	private Long remaining() {
		return shelf.reward("acme", "coffee").orElseThrow().remaining();
	}
}
