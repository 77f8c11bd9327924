package io.fidelis.offers.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fidelis.offers.domain.MemberFacts;

/** Members' facts read and saved by the batch, each save still guarded by the revision it was read at. */
class MongoFactsBatchTest extends OfferStoreOnEmbeddedMongo {

	@Test
	void a_batch_is_saved_in_one_write_and_names_the_members_another_change_came_first_to() {
		for (String m : List.of("m1", "m2", "m3")) {
			assertThat(store.saveFacts(MemberFacts.of(m, "acme"))).isTrue();
		}
		Map<String, MemberFacts> read = store.factsOf(List.of("m1", "m2", "m3", "m9"));
		assertThat(read).containsOnlyKeys("m1", "m2", "m3");
		// another change reaches m2 between the batch's read and its write, at the same revision
		assertThat(store.saveFacts(read.get("m2").withBalance(5, 1))).isTrue();

		var missed = store.saveAllFacts(List.of(read.get("m1").withBalance(10, 1), read.get("m2").withBalance(20, 2),
				read.get("m3").withBalance(30, 1)));

		assertThat(missed).containsExactly("m2");
		assertThat(store.facts("m1").orElseThrow()).extracting(MemberFacts::balance, MemberFacts::revision)
				.containsExactly(10L, 2L);
		assertThat(store.facts("m2").orElseThrow().balance()).as("the change that came first stands").isEqualTo(5);
		assertThat(store.facts("m3").orElseThrow().balance()).isEqualTo(30);
		assertThat(store.saveAllFacts(List.of())).isEmpty();
		assertThat(store.factsOf(List.of())).isEmpty();
	}

	@Test
	void new_facts_are_inserted_by_the_batch_and_those_stored_first_by_another_change_are_named() {
		assertThat(store.saveFacts(MemberFacts.of("m2", "acme").withTier("Gold"))).isTrue(); // came first

		var missed = store.saveAllFacts(List.of(MemberFacts.of("m1", "acme").withConsent(true),
				MemberFacts.of("m2", "acme"), MemberFacts.of("m3", "acme")));

		assertThat(missed).containsExactly("m2");
		assertThat(store.factsOf(List.of("m1", "m2", "m3"))).containsOnlyKeys("m1", "m2", "m3");
		assertThat(store.facts("m1").orElseThrow()).extracting(MemberFacts::marketingConsent, MemberFacts::revision)
				.containsExactly(true, 1L);
		assertThat(store.facts("m2").orElseThrow().tier()).as("the facts stored first stand").isEqualTo("Gold");
	}

	@Test
	void new_and_stored_facts_are_saved_by_one_batch() {
		assertThat(store.saveFacts(MemberFacts.of("m1", "acme"))).isTrue();
		MemberFacts known = store.facts("m1").orElseThrow();

		assertThat(store.saveAllFacts(List.of(known.withBalance(10, 1), MemberFacts.of("m2", "acme").withBalance(20, 1))))
				.isEmpty();

		assertThat(store.facts("m1").orElseThrow()).extracting(MemberFacts::balance, MemberFacts::revision)
				.containsExactly(10L, 2L);
		assertThat(store.facts("m2").orElseThrow()).extracting(MemberFacts::balance, MemberFacts::revision)
				.containsExactly(20L, 1L);
	}
}
