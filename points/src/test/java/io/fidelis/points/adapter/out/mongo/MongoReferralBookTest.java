package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

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

import io.fidelis.points.domain.ReferralRules;

/** Referral rules round-trip, and a referrer's cap counts each friend once, also when deliveries race. */
class MongoReferralBookTest {

	EmbeddedStore store;
	SimpleMongoClientDatabaseFactory factory;
	MongoReferralBook book;

	@BeforeEach
	void connect() {
		store = new EmbeddedStore();
		factory = store.database("points_referrals_test");
		book = new MongoReferralBook(factory);
	}

	@AfterEach
	void stop() {
		store.close();
	}

	@Test
	void rules_read_back_as_written_with_and_without_a_cap() {
		assertThat(book.find("acme")).isEmpty();
		book.save(new ReferralRules("acme", 500, 250));
		assertThat(book.find("acme")).contains(new ReferralRules("acme", 500, 250, null, ReferralRules.CapPeriod.MONTH));
		ReferralRules capped = new ReferralRules("acme", 500, 0, 3, ReferralRules.CapPeriod.YEAR);
		book.save(capped);
		assertThat(book.find("acme")).contains(capped);
		assertThat(book.find("globex")).isEmpty();
	}

	@Test
	void each_friend_counts_once_until_the_period_is_full() {
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_bob", 2)).isTrue();
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_bob", 2)).as("a redelivery").isTrue();
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_cid", 2)).isTrue();
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_dan", 2)).as("full").isFalse();
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_dan", 2)).isFalse();
		assertThat(book.countTowardsCap("m_ann", "2026-12", "m_cid", 2)).as("counted before it was full").isTrue();
		assertThat(book.countTowardsCap("m_ann", "2027-01", "m_dan", 2)).as("a new period").isTrue();
		assertThat(book.countTowardsCap("m_eve", "2026-12", "m_dan", 2)).as("another referrer").isTrue();
	}

	@Test
	void racing_deliveries_fill_the_cap_exactly() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Boolean>> calls = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String friend = "m_friend" + (i % 8); // each friend delivered twice
				calls.add(() -> book.countTowardsCap("m_ann", "2026-12", friend, 3));
			}
			List<String> counted = new ArrayList<>();
			List<Future<Boolean>> answers = pool.invokeAll(calls);
			for (int i = 0; i < answers.size(); i++) {
				if (answers.get(i).get()) {
					counted.add("m_friend" + (i % 8));
				}
			}
			assertThat(counted.stream().distinct().count()).isEqualTo(3);
			assertThat(factory.getMongoDatabase().getCollection(MongoReferralBook.CAPS).find().first()
					.getList("referees", String.class)).hasSize(3).containsExactlyInAnyOrderElementsOf(
							counted.stream().distinct().toList());
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void a_days_referrals_keep_each_friend_once_with_the_most_each_side_was_paid() {
		java.time.LocalDate day = java.time.LocalDate.parse("2026-12-07");
		book.record("acme", day, new io.fidelis.points.application.ReferralBook.Referral("m_bob", "m_ann", 250, 500));
		// the same enrollment again after the rules changed: the ledger paid nothing more, the figures keep the first
		book.record("acme", day, new io.fidelis.points.application.ReferralBook.Referral("m_bob", "m_ann", 0, 0));
		book.record("acme", day, new io.fidelis.points.application.ReferralBook.Referral("m_cid", "m_ann", 250, 0));
		book.record("acme", day.plusDays(1), new io.fidelis.points.application.ReferralBook.Referral("m_dan", "m_eve", 10, 20));
		book.record("globex", day, new io.fidelis.points.application.ReferralBook.Referral("m_fay", "m_gus", 1, 1));

		assertThat(book.referrals("acme", List.of(day, day.plusDays(1), day.plusDays(2)))).containsExactlyInAnyOrder(
				new io.fidelis.points.application.ReferralBook.Referral("m_bob", "m_ann", 250, 500),
				new io.fidelis.points.application.ReferralBook.Referral("m_cid", "m_ann", 250, 0),
				new io.fidelis.points.application.ReferralBook.Referral("m_dan", "m_eve", 10, 20));
		assertThat(book.referrals("acme", List.of(day.minusDays(1)))).isEmpty();
	}

	@Test
	void an_id_with_a_dot_or_a_dollar_is_kept_as_it_is() {
		java.time.LocalDate day = java.time.LocalDate.parse("2026-12-07");
		for (String odd : List.of("m_a.b", "$m", "m_%2E")) {
			book.record("acme", day, new io.fidelis.points.application.ReferralBook.Referral(odd, "m_ann", 1, 2));
		}
		assertThat(book.referrals("acme", List.of(day))).extracting(io.fidelis.points.application.ReferralBook.Referral::friend)
				.containsExactlyInAnyOrder("m_a.b", "$m", "m_%2E");
	}
}
