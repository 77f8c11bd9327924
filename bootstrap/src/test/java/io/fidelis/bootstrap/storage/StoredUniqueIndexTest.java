package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

/** The short way to a document's key gives the key the server's own way gives, for any value. */
class StoredUniqueIndexTest {

	static final List<List<IndexKey>> INDEXES = List.of(List.of(new IndexKey("_id", true)),
			List.of(new IndexKey("_id", true), new IndexKey("revision", true)),
			List.of(new IndexKey("program", true), new IndexKey("email", false)),
			List.of(new IndexKey("address.city", true)));

	@RepeatedTest(5)
	void keys_equal_the_servers_own(RepetitionInfo repetition) {
		Random random = new Random(repetition.getCurrentRepetition());
		for (List<IndexKey> keys : INDEXES) {
			StoredUniqueIndex shortWay = new StoredUniqueIndex("i", keys, false);
			MemoryUniqueIndex serversWay = new MemoryUniqueIndex("i", keys, false);
			for (int i = 0; i < 500; i++) {
				Document document = new Document();
				for (String field : List.of("_id", "revision", "program", "email", "address")) {
					if (random.nextInt(8) > 0) {
						document.put(field, field.equals("address") ? new Document("city", value(random)) : value(random));
					}
				}
				assertThat(outcome(() -> shortWay.getKeyValues(document))).as("%s of %s", keys, document)
						.isEqualTo(outcome(() -> serversWay.getKeyValues(document)));
			}
		}
	}

	/** The key, or the refusal (parallel arrays) as the server words it. */
	static Object outcome(java.util.function.Supplier<Object> key) {
		try {
			return key.get();
		}
		catch (RuntimeException e) {
			return e.getClass().getName() + ": " + e.getMessage();
		}
	}

	static Object value(Random random) {
		return switch (random.nextInt(16)) {
			case 0 -> null;
			case 1 -> "s" + random.nextInt(5);
			case 2 -> random.nextInt(5);
			case 3 -> (long) random.nextInt(5);
			case 4 -> (double) random.nextInt(5);
			case 5 -> -0.0;
			case 6 -> (1L << 53) + 1 + random.nextInt(3); // a long a double cannot hold
			case 7 -> random.nextBoolean();
			case 8 -> new UUID(0, random.nextInt(3));
			case 9 -> new ObjectId();
			case 10 -> new Date(random.nextInt(3));
			case 11 -> Instant.ofEpochMilli(random.nextInt(3));
			case 12 -> List.of("a", random.nextInt(3));
			case 13 -> new Document("n", random.nextInt(3));
			case 14 -> (short) 2;
			default -> new java.math.BigDecimal(random.nextInt(3));
		};
	}

	@Test
	void numbers_of_any_width_name_the_same_key_in_the_store() {
		DurableMemoryBackend store = DurableMemoryBackend.inMemory();
		de.bwaldvogel.mongo.MongoServer server = new de.bwaldvogel.mongo.MongoServer(store);
		try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients
				.create("mongodb://" + server.bindAndGetConnectionString().substring("mongodb://".length()))) {
			var items = client.getDatabase("fidelis").getCollection("items");
			items.insertOne(new org.bson.Document("_id", 1));
			assertThatThrownBy(() -> items.insertOne(new org.bson.Document("_id", 1L)))
					.isInstanceOf(com.mongodb.MongoWriteException.class).hasMessageContaining("duplicate key");
			assertThatThrownBy(() -> items.insertOne(new org.bson.Document("_id", 1.0)))
					.isInstanceOf(com.mongodb.MongoWriteException.class).hasMessageContaining("duplicate key");
			items.insertOne(new org.bson.Document("_id", "1"));
			assertThat(items.countDocuments()).isEqualTo(2);
		}
		finally {
			server.shutdownNow();
		}
	}
}
