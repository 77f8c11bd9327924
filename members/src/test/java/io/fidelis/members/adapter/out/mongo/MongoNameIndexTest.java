package io.fidelis.members.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bson.Document;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.InMemoryNameIndex;
import io.fidelis.members.application.NameIndex;

/**
 * The name trie against the embedded server, with tiny buckets so that it freezes and descends
 * often: every search, page by page, answers what a plain sorted set answers.
 */
class MongoNameIndexTest {

	@org.junit.jupiter.api.extension.RegisterExtension
	static final EmbeddedMongo mongo = new EmbeddedMongo();

	private static final ProgramId PROGRAM = new ProgramId("acme");
	private static final String[] FIRST = { "Marie", "Mario", "Marion", "Martin", "Marc", "Élodie", "Elodie", "Li",
			"Mar", "Léa", "Leandro", "Lea" };
	private static final String[] LAST = { "Martin", "Dubois", "Marchand", "Li", "Leroy", "Lefèvre", "Mar",
			"Martinez" };


	@RepeatedTest(5)
	void every_page_of_every_search_matches_a_sorted_set(RepetitionInfo repetition) {
		Random random = new Random(7919L * repetition.getCurrentRepetition());
		// two nodes sharing the store, each with its own cache of frozen buckets
		MongoNameIndex one = new MongoNameIndex(mongo.factory, 3);
		MongoNameIndex two = new MongoNameIndex(mongo.factory, 3);
		InMemoryNameIndex expected = new InMemoryNameIndex();
		List<String[]> added = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
			MemberId id = new MemberId("m" + i);
			(random.nextBoolean() ? one : two).add(PROGRAM, id, name);
			expected.add(PROGRAM, id, name);
			added.add(new String[] { id.value(), name });
			if (random.nextInt(5) == 0) {
				String[] gone = added.remove(random.nextInt(added.size()));
				(random.nextBoolean() ? one : two).remove(PROGRAM, new MemberId(gone[0]), gone[1]);
				expected.remove(PROGRAM, new MemberId(gone[0]), gone[1]);
			}
		}
		searchesAgree(random, expected, one, two);
		assertThat(allPages(one, "mar", 100)).isNotEmpty();
		// no bucket ever grows much past its size, however many share a name
		bucketsHoldAtMost(4);
	}

	@RepeatedTest(5)
	void names_indexed_in_batches_are_found_as_when_indexed_one_by_one(RepetitionInfo repetition) {
		Random random = new Random(104729L * repetition.getCurrentRepetition());
		MongoNameIndex one = new MongoNameIndex(mongo.factory, 3);
		MongoNameIndex two = new MongoNameIndex(mongo.factory, 3);
		InMemoryNameIndex expected = new InMemoryNameIndex();
		int next = 0;
		while (next < 600) {
			// import batches of any size, between single enrollments, from either node
			Map<MemberId, String> batch = new java.util.LinkedHashMap<>();
			for (int size = random.nextInt(40); size >= 0; size--, next++) {
				batch.put(new MemberId("m" + next), FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)]);
			}
			MongoNameIndex node = random.nextBoolean() ? one : two;
			if (batch.size() == 1) {
				batch.forEach((id, name) -> node.add(PROGRAM, id, name));
			}
			else {
				node.addAll(PROGRAM, batch);
			}
			batch.forEach((id, name) -> expected.add(PROGRAM, id, name));
		}
		searchesAgree(random, expected, one, two);
		// a batch fills a bucket by at most its size past where it stood
		bucketsHoldAtMost(6);
	}

	/** Every page of searches for common prefixes, read through either node, is the sorted set's. */
	private static void searchesAgree(Random random, NameIndex expected, NameIndex one, NameIndex two) {
		for (String prefix : List.of("mar", "mari", "marie", "martin", "mart", "elo", "ELO", "lea", "léa", "lef",
				"dub", "zzz", "mar martin")) {
			int limit = 1 + random.nextInt(9);
			assertThat(allPages(one, prefix, limit)).as(prefix).isEqualTo(allPages(expected, prefix, limit))
					.isEqualTo(allPages(two, prefix, limit));
		}
	}

	private static void bucketsHoldAtMost(int entries) {
		for (Document bucket : mongo.factory.getMongoDatabase().getCollection("members_names").find()) {
			assertThat(bucket.getList("entries", String.class, List.of())).hasSizeLessThanOrEqualTo(entries);
		}
	}

	@Test
	void a_frozen_bucket_takes_no_new_entries_even_from_a_node_that_has_not_seen_it_freeze() {
		MongoNameIndex one = new MongoNameIndex(mongo.factory, 2);
		for (int i = 0; i < 3; i++) {
			one.add(PROGRAM, new MemberId("m" + i), "Martin Dubois");
		}
		MongoNameIndex fresh = new MongoNameIndex(mongo.factory, 2);
		fresh.add(PROGRAM, new MemberId("m9"), "Martin Dubois");

		Document root = mongo.factory.getMongoDatabase().getCollection("members_names")
				.find(new Document("_id", "acme|mar")).first();
		assertThat(root.getBoolean("split")).isTrue();
		assertThat(root.getList("entries", String.class)).hasSize(3).noneMatch(e -> e.endsWith("m9"));
		assertThat(root.getList("children", String.class)).containsExactly("t");
		assertThat(fresh.find(PROGRAM, "martin", null, 10)).extracting(NameIndex.Entry::member)
				.containsExactly(new MemberId("m0"), new MemberId("m1"), new MemberId("m2"), new MemberId("m9"));
	}

	private static List<MemberId> allPages(NameIndex index, String prefix, int limit) {
		List<MemberId> all = new ArrayList<>();
		String after = null;
		while (true) {
			List<NameIndex.Entry> page = index.find(PROGRAM, prefix, after, limit);
			page.forEach(e -> all.add(e.member()));
			if (page.size() < limit) {
				return all;
			}
			after = page.get(page.size() - 1).key();
		}
	}
}
