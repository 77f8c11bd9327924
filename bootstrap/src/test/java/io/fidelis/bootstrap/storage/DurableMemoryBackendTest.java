package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;

/**
 * The embedded store through the MongoDB driver: what a command acknowledged is in the files
 * (read back from a copy taken while the store runs, which is what a kill -9 leaves), a torn log
 * tail is cut off, checkpoints replace the log without losing a change, and scans are counted.
 */
class DurableMemoryBackendTest {

	@TempDir
	Path dir;

	private final List<AutoCloseable> open = new ArrayList<>();

	@AfterEach
	void closeAll() throws Exception {
		for (int i = open.size() - 1; i >= 0; i--) {
			open.get(i).close();
		}
	}

	@Test
	void a_jvm_with_little_heap_is_told_to_give_the_store_room_and_a_roomy_one_is_not() {
		assertThat(DurableMemoryBackend.heapWarning(512L << 20)).hasValueSatisfying(warning -> assertThat(warning)
				.contains("at most 512 MB").contains("-Xmx2g"));
		assertThat(DurableMemoryBackend.heapWarning(1L << 30)).as("-Xmx1g").isEmpty();
		assertThat(DurableMemoryBackend.heapWarning(6L << 30)).as("the JVM's default on 24 GiB").isEmpty();
	}

	@Test
	void what_was_acknowledged_is_in_the_files_while_the_store_runs() throws Exception {
		Path data = dir.resolve("data");
		MongoCollection<Document> accounts = start(DurableMemoryBackend.open(data, 64 << 20)).getCollection("accounts");
		accounts.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
		accounts.insertOne(new Document("_id", "a").append("email", "a@example.com").append("balance", 10L));
		accounts.insertOne(new Document("_id", "b").append("email", "b@example.com").append("balance", 5L));
		accounts.insertOne(new Document("email", "generated@example.com")); // the server makes its _id
		accounts.updateOne(Filters.eq("_id", "a"), Updates.inc("balance", 32L));
		accounts.updateOne(Filters.eq("_id", "c"), Updates.set("balance", 1L), new UpdateOptions().upsert(true));
		accounts.deleteOne(Filters.eq("_id", "b"));
		Document generated = accounts.find(Filters.eq("email", "generated@example.com")).first();

		MongoCollection<Document> recovered = start(DurableMemoryBackend.open(copyOf(data), 64 << 20))
				.getCollection("accounts");
		assertThat(recovered.find(Filters.eq("_id", "a")).first().getLong("balance")).isEqualTo(42L);
		assertThat(recovered.find(Filters.eq("_id", "b")).first()).isNull();
		assertThat(recovered.find(Filters.eq("_id", "c")).first().getLong("balance")).isEqualTo(1L);
		assertThat(recovered.find(Filters.eq("_id", generated.get("_id"))).first()).isEqualTo(generated);
		assertThat(recovered.countDocuments()).isEqualTo(3);
		// the unique index came back with the data
		assertThatThrownBy(() -> recovered.insertOne(new Document("_id", "d").append("email", "a@example.com")))
				.isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
	}

	/**
	 * When the log cannot write (here: its flusher interrupted, which closes the file as a failing
	 * disk would), a reply waiting for its sync is never sent, its connection is closed, and every
	 * later command is refused: nothing the disk does not hold is ever acknowledged.
	 */
	@Test
	void when_the_log_fails_no_waiting_reply_is_sent_and_every_later_command_is_refused() throws Exception {
		Path data = dir.resolve("data");
		DurableMemoryBackend store = DurableMemoryBackend.open(data, 64 << 20);
		MongoCollection<Document> items = start(store).getCollection("items");
		items.insertOne(new Document("_id", "before"));
		store.log().flusher.interrupt();

		assertThatThrownBy(() -> items.insertOne(new Document("_id", "during"))).isInstanceOf(com.mongodb.MongoException.class);
		assertThat(store.log().failed()).isTrue();
		assertThatThrownBy(() -> items.insertOne(new Document("_id", "after")))
				.isInstanceOf(com.mongodb.MongoException.class).hasMessageContaining("cannot write its log");
		assertThatThrownBy(() -> items.find(Filters.eq("_id", "before")).first())
				.hasMessageContaining("cannot write its log");

		MongoCollection<Document> recovered = start(DurableMemoryBackend.open(copyOf(data), 64 << 20)).getCollection("items");
		assertThat(recovered.find(Filters.eq("_id", "before")).first()).isNotNull();
		assertThat(recovered.find(Filters.eq("_id", "after")).first()).isNull();
	}

	@Test
	void every_write_is_synced_to_disk_before_its_answer() throws Exception {
		DurableMemoryBackend store = DurableMemoryBackend.open(dir.resolve("data"), 64 << 20);
		MongoCollection<Document> accounts = start(store).getCollection("accounts");
		WriteAheadLog log = store.log();
		long syncsBefore = log.syncs();
		for (int i = 0; i < 50; i++) {
			accounts.insertOne(new Document("_id", "m" + i).append("balance", 0L));
			// one writer: when the answer arrives, its change must be on disk already
			assertThat(log.durable()).as("synced when insert %d answered", i).isEqualTo(log.appended());
			accounts.updateOne(Filters.eq("_id", "m" + i), Updates.inc("balance", 5L));
			assertThat(log.durable()).as("synced when update %d answered", i).isEqualTo(log.appended());
		}
		assertThat(log.syncs() - syncsBefore).as("one writer waits for a sync of its own per write").isGreaterThanOrEqualTo(100);
	}

	@Test
	void concurrent_writers_lose_nothing_acknowledged() throws Exception {
		Path data = dir.resolve("data");
		MongoCollection<Document> counters = start(DurableMemoryBackend.open(data, 64 << 20)).getCollection("counters");
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<?>> writers = new ArrayList<>();
		for (int w = 0; w < 16; w++) {
			int writer = w;
			writers.add(pool.submit(() -> {
				for (int i = 0; i < 200; i++) {
					counters.updateOne(Filters.eq("_id", "c" + (i % 7)), Updates.inc("n", 1L), new UpdateOptions().upsert(true));
					counters.insertOne(new Document("_id", "w" + writer + "-" + i));
				}
			}));
		}
		for (Future<?> f : writers) {
			f.get();
		}
		pool.shutdown();

		MongoCollection<Document> recovered = start(DurableMemoryBackend.open(copyOf(data), 64 << 20))
				.getCollection("counters");
		long total = 0;
		for (int c = 0; c < 7; c++) {
			total += recovered.find(Filters.eq("_id", "c" + c)).first().getLong("n");
		}
		assertThat(total).isEqualTo(16 * 200);
		assertThat(recovered.countDocuments()).isEqualTo(7 + 16 * 200);
	}

	@Test
	void a_torn_log_tail_is_cut_off_and_the_rest_is_kept() throws Exception {
		Path data = dir.resolve("data");
		MongoCollection<Document> items = start(DurableMemoryBackend.open(data, 64 << 20)).getCollection("items");
		for (int i = 0; i < 10; i++) {
			items.insertOne(new Document("_id", i).append("text", "item " + i));
		}
		Path copy = copyOf(data);
		Path segment;
		try (Stream<Path> files = Files.list(copy)) {
			segment = files.filter(p -> p.toString().endsWith(".wal")).sorted().reduce((a, b) -> b).orElseThrow();
		}
		// half a record, as a crash in the middle of a write leaves it
		byte[] record = StoreRecord.put("fidelis", "items", StoreRecord.key(99), StoreRecord.bson(new de.bwaldvogel.mongo.bson.Document("_id", 99)));
		Files.write(segment, java.util.Arrays.copyOf(record, record.length / 2), StandardOpenOption.APPEND);
		long tornSize = Files.size(segment);

		MongoCollection<Document> recovered = start(DurableMemoryBackend.open(copy, 64 << 20)).getCollection("items");
		assertThat(recovered.countDocuments()).isEqualTo(10);
		assertThat(Files.size(segment)).isLessThan(tornSize);
		recovered.insertOne(new Document("_id", 10));
		assertThat(recovered.countDocuments()).isEqualTo(11);
	}

	/** A change framed straight into the log's buffer is byte for byte the record framed alone (length, CRC, parts). */
	@Test
	void a_record_framed_in_place_is_the_record_framed_alone() {
		byte[] key = StoreRecord.key("m_1");
		byte[] document = StoreRecord.bson(new de.bwaldvogel.mongo.bson.Document("_id", "m_1").append("lots",
				"x".repeat(20_000)).append("name", "Zoë"));
		byte[] alone = StoreRecord.put("fidelis", "points_accounts", key, document);
		var unframed = StoreRecord.putUnframed("fidelis", "points_accounts", key, document);
		assertThat(unframed.size()).isEqualTo(alone.length);
		byte[] buffer = new byte[alone.length + 10];
		unframed.writeTo(buffer, 7);
		assertThat(java.util.Arrays.copyOfRange(buffer, 7, 7 + alone.length)).isEqualTo(alone);
	}

	@Test
	void a_checkpoint_replaces_the_log_and_changes_made_during_it_are_kept() throws Exception {
		Path data = dir.resolve("data");
		DurableMemoryBackend store = DurableMemoryBackend.open(data, 64 << 20);
		MongoCollection<Document> accounts = start(store).getCollection("accounts");
		for (int i = 0; i < 5_000; i++) {
			accounts.insertOne(new Document("_id", "m" + i).append("balance", 0L));
		}
		ExecutorService pool = Executors.newSingleThreadExecutor();
		Future<?> writes = pool.submit(() -> {
			for (int i = 0; i < 2_000; i++) {
				accounts.updateOne(Filters.eq("_id", "m" + (i % 5_000)), Updates.inc("balance", 1L));
			}
		});
		store.checkpoint();
		writes.get();
		store.checkpoint();
		accounts.findOneAndUpdate(Filters.eq("_id", "m1"), Updates.inc("balance", 100L),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		accounts.deleteOne(Filters.eq("_id", "m2"));
		pool.shutdown();
		try (Stream<Path> files = Files.list(data)) {
			assertThat(files.filter(p -> p.toString().endsWith(".snapshot")).count()).isEqualTo(1);
		}

		MongoCollection<Document> recovered = start(DurableMemoryBackend.open(copyOf(data), 64 << 20))
				.getCollection("accounts");
		assertThat(recovered.countDocuments()).isEqualTo(4_999);
		assertThat(recovered.find(Filters.eq("_id", "m1")).first().getLong("balance")).isEqualTo(101L);
		assertThat(recovered.find(Filters.eq("_id", "m4999")).first().getLong("balance")).isEqualTo(0L);
		long sum = 0;
		for (Document d : recovered.find()) {
			sum += d.getLong("balance");
		}
		assertThat(sum).isEqualTo(2_000 + 100 - 1); // m2 had one increment when it was deleted
	}

	@Test
	void a_clean_shutdown_leaves_one_checkpoint_and_an_empty_log() throws Exception {
		Path data = dir.resolve("data");
		DurableMemoryBackend store = DurableMemoryBackend.open(data, 64 << 20);
		MongoServer server = new MongoServer(store);
		server.bind(new InetSocketAddress("127.0.0.1", 0), 1, 8);
		try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + server.getLocalAddress().getPort())) {
			client.getDatabase("fidelis").getCollection("items").insertOne(new Document("_id", 1));
		}
		server.shutdown();

		try (Stream<Path> files = Files.list(data)) {
			assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
					.containsExactly("checkpoint-0000000000000002.snapshot", "log-0000000000000002.wal");
		}
		assertThat(start(DurableMemoryBackend.open(data, 64 << 20)).getCollection("items").countDocuments()).isEqualTo(1);
	}

	@Test
	void queries_that_no_unique_index_answers_are_counted_as_scans() throws Exception {
		DurableMemoryBackend store = DurableMemoryBackend.inMemory();
		MongoCollection<Document> members = start(store).getCollection("members");
		members.createIndex(Indexes.ascending("program", "email"), new IndexOptions().unique(true));
		members.insertOne(new Document("_id", "m1").append("program", "acme").append("email", "a@example.com"));
		long before = store.scans().getOrDefault("fidelis.members", 0L);

		members.find(Filters.eq("_id", "m1")).first();
		members.find(new Document("program", "acme").append("email", "a@example.com")).first();
		members.updateOne(Filters.eq("_id", "m1"), Updates.set("name", "Ann"));
		assertThat(store.scans().getOrDefault("fidelis.members", 0L)).isEqualTo(before);

		members.find(Filters.eq("email", "a@example.com")).first();
		members.find(Filters.and(Filters.eq("_id", "m1"), Filters.eq("program", "acme"))).first();
		assertThat(store.scans().get("fidelis.members")).isEqualTo(before + 2);
	}

	@Test
	void documents_held_as_bson_come_back_as_written_and_change_only_through_a_write() throws Exception {
		MongoCollection<Document> items = start(DurableMemoryBackend.inMemory()).getCollection("items");
		items.createIndex(Indexes.ascending("code"), new IndexOptions().unique(true));
		java.util.Date at = new java.util.Date(1_780_000_000_123L);
		Document first = new Document("_id", "a").append("code", "A").append("small", 7).append("large", 1L << 40)
				.append("ratio", 0.25).append("at", at).append("flag", true).append("none", null)
				.append("bytes", new org.bson.types.Binary(new byte[] { 1, 2, 3 }))
				.append("nested", new Document("list", List.of(1, "two", new Document("three", 3L))));
		items.insertOne(first);
		items.insertOne(new Document("_id", "b").append("code", "B"));
		assertThat(items.find(Filters.eq("_id", "a")).first()).isEqualTo(first);

		// a refused change leaves the stored document as it was
		assertThatThrownBy(() -> items.updateOne(Filters.eq("_id", "b"), Updates.set("code", "A")))
				.isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
		assertThat(items.find(Filters.eq("_id", "b")).first()).isEqualTo(new Document("_id", "b").append("code", "B"));

		// every kind of change is kept, and the indexes follow it
		items.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.push("nested.list", 4), Updates.unset("none"),
				Updates.inc("small", 1), Updates.set("code", "A2")));
		Document after = items.findOneAndUpdate(Filters.eq("_id", "b"), Updates.set("note", "x"),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
		assertThat(after).isEqualTo(new Document("_id", "b").append("code", "B").append("note", "x"));
		items.replaceOne(Filters.eq("_id", "b"), new Document("code", "B2"));
		Document a = items.find(Filters.eq("code", "A2")).first();
		assertThat(a.getInteger("small")).isEqualTo(8);
		assertThat(a.containsKey("none")).isFalse();
		assertThat(a.get("nested", Document.class).getList("list", Object.class)).containsExactly(1, "two",
				new Document("three", 3L), 4);
		assertThat(a.getDate("at")).isEqualTo(at);
		assertThat(items.find(Filters.eq("code", "A")).first()).isNull();
		assertThat(items.find(Filters.eq("code", "B2")).first()).isEqualTo(new Document("_id", "b").append("code", "B2"));
		items.insertOne(new Document("_id", "c").append("code", "A")); // the old code is free again
		assertThat(items.countDocuments()).isEqualTo(3);
	}

	/**
	 * An update naming one document by exactly a unique index's fields takes the store's short way
	 * (no query, no deep copies or comparisons): every such update answers, changes and refuses as
	 * the server's own engine does, compared update by update with mongo-java-server's memory backend.
	 */
	@Test
	void updates_by_exact_key_answer_as_the_servers_own_engine() {
		MongoCollection<Document> fast = start(DurableMemoryBackend.inMemory()).getCollection("accounts");
		MongoServer reference = new MongoServer(new de.bwaldvogel.mongo.backend.memory.MemoryBackend());
		reference.bind(new InetSocketAddress("127.0.0.1", 0), 1, 4);
		MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + reference.getLocalAddress().getPort());
		open.add(reference::shutdownNow);
		open.add(client);
		MongoCollection<Document> engine = client.getDatabase("fidelis").getCollection("accounts");
		for (MongoCollection<Document> c : List.of(fast, engine)) {
			c.createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true));
			c.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true).sparse(true));
			c.insertOne(new Document("_id", "a").append("version", 1L).append("email", "a@x").append("n", 1)
					.append("journal", List.of(new Document("seq", 1L))).append("nested", new Document("k", "v")));
			c.insertOne(new Document("_id", "b").append("version", 1L).append("email", "b@x"));
		}
		List<java.util.function.Function<MongoCollection<Document>, Object>> updates = List.of(
				c -> c.updateOne(new Document("_id", "a").append("version", 1L), Updates.combine(Updates.set("version", 2L),
						Updates.pushEach("journal", List.of(new Document("seq", 2L), new Document("seq", 3L))))),
				c -> c.updateOne(new Document("_id", "a").append("version", 1L), Updates.set("version", 3L)), // moved on
				c -> c.updateOne(new Document("_id", "a").append("version", 2), Updates.inc("n", 5)), // int for long
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.set("n", 6)), // the same value: not modified
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.set("nested.k", "w"), Updates.unset("email"))),
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.pullByFilter(new Document("journal",
						new Document("seq", new Document("$in", List.of(1L, 3L)))))),
				c -> c.updateOne(Filters.eq("_id", "b"), Updates.set("email", "a@x")), // free since a dropped it
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.set("email", "a@x")), // now b's: duplicate key
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.set("_id", "z")), // immutable
				c -> c.replaceOne(Filters.eq("_id", "b"), new Document("version", 9L).append("email", "b2@x")),
				c -> c.updateOne(Filters.eq("_id", "c"), Updates.set("n", 1)), // nothing named
				c -> c.updateOne(new Document("_id", "c").append("version", 1L), Updates.setOnInsert("n", 1),
						new UpdateOptions().upsert(true)),
				// applied in place: a refusal half-way leaves the document as it was
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.set("n", 7), Updates.inc("nested.k", 1))),
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.set("n", 8), Updates.set("n.x", 1))), // conflict
				// an indexed field changed beside others: the index follows, the old key is free
				c -> c.updateOne(Filters.eq("_id", "b"), Updates.combine(Updates.set("email", "c@x"),
						Updates.addToSet("tags", "t"), Updates.max("version", 10L))),
				c -> c.updateOne(new Document("_id", "b").append("version", 10L), Updates.combine(Updates.popLast("tags"),
						Updates.mul("version", 2L), Updates.min("low", 3))),
				c -> c.updateOne(new Document("_id", "b").append("version", 10L), Updates.set("n", 1)), // the old key: gone
				c -> c.updateOne(new Document("_id", "b").append("version", 20L), Updates.set("email", "b@x")),
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.set("email", "b@x")), // b's again
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.rename("n", "m")), // names a second field: the server's way
				c -> c.updateOne(Filters.eq("_id", "a"), Updates.combine(Updates.pullAll("journal", List.of(new Document("seq", 2L))),
						Updates.bitwiseOr("m", 1))),
				// inserts check every unique index the short way too
				c -> c.insertOne(new Document("_id", "d").append("version", 1L).append("email", "b@x")), // b's
				c -> c.insertOne(new Document("_id", "a").append("version", 99L)), // a's id
				c -> c.insertOne(new Document("_id", "d").append("version", 1L).append("email", "d@x")),
				c -> c.insertOne(new Document("_id", "e").append("version", 1L)), // no email: sparse
				c -> c.insertOne(new Document("_id", "f").append("version", 1L)),
				c -> c.updateOne(Filters.eq("_id", "f"), Updates.set("email", "d@x")), // d's
				c -> c.updateOne(Filters.eq("_id", "a"), new Document("$bogus", new Document("n", 1))));
		for (int i = 0; i < updates.size(); i++) {
			assertThat(outcome(fast, updates.get(i))).as("update %d", i).isEqualTo(outcome(engine, updates.get(i)));
			assertThat(fast.find().into(new ArrayList<>())).as("documents after update %d", i)
					.isEqualTo(engine.find().into(new ArrayList<>()));
		}
	}

	/** What an update answered, or the code of its refusal. */
	private static Object outcome(MongoCollection<Document> collection,
			java.util.function.Function<MongoCollection<Document>, Object> update) {
		try {
			if (!(update.apply(collection) instanceof com.mongodb.client.result.UpdateResult result)) {
				return "done";
			}
			return List.of(result.getMatchedCount(), result.getModifiedCount(), String.valueOf(result.getUpsertedId()));
		}
		catch (com.mongodb.MongoServerException e) {
			// a duplicate key is named as the server names it: index, collection and key
			return "refused " + e.getCode() + (e instanceof com.mongodb.MongoWriteException w && e.getCode() == 11000
					? " " + w.getError().getMessage() : "");
		}
	}

	/**
	 * The store hands out copies of what it holds, never the held document: a document read and
	 * then changed by whoever read it (the server does so while computing an update) stays as
	 * stored until a write hands the change back. Held as the server's maps, the read was the
	 * stored document itself.
	 */
	@Test
	void what_a_read_hands_out_is_a_copy_of_what_is_held() {
		de.bwaldvogel.mongo.MongoCollection<?> items = DurableMemoryBackend.inMemory().resolveDatabase("fidelis")
				.createCollectionOrThrowIfExists("items");
		items.addDocument(new de.bwaldvogel.mongo.bson.Document("_id", "a").append("n", 1));
		de.bwaldvogel.mongo.bson.Document read = items.queryAll().iterator().next();
		read.put("n", 2);
		assertThat(items.queryAll().iterator().next()).isEqualTo(new de.bwaldvogel.mongo.bson.Document("_id", "a").append("n", 1))
				.isNotSameAs(read);
	}

	@Test
	void a_list_of_ids_finds_updates_and_removes_exactly_the_documents_it_names() throws Exception {
		DurableMemoryBackend store = DurableMemoryBackend.inMemory();
		MongoCollection<Document> items = start(store).getCollection("items");
		org.bson.BsonBinary uuid = new org.bson.BsonBinary(java.util.UUID.randomUUID()); // as the registry's ids
		items.insertMany(List.of(new Document("_id", "a").append("n", 1), new Document("_id", "b").append("n", 2),
				new Document("_id", "c").append("n", 3), new Document("_id", uuid).append("n", 4),
				new Document("_id", 5).append("n", 5), new Document("_id", 6L).append("n", 6)));

		assertThat(items.find(Filters.in("_id", "c", "a", "a", "missing")).map(d -> d.get("_id")).into(new ArrayList<>()))
				.containsExactlyInAnyOrder("a", "c");
		assertThat(items.find(Filters.in("_id", "c", "a", "b")).sort(new Document("n", -1)).limit(2)
				.projection(new Document("n", 1)).into(new ArrayList<>()))
				.as("sorted, limited and projected as any query").containsExactly(new Document("_id", "c").append("n", 3),
						new Document("_id", "b").append("n", 2));
		assertThat(items.find(Filters.in("_id", uuid, "b")).map(d -> d.getInteger("n")).into(new ArrayList<>()))
				.containsExactlyInAnyOrder(2, 4);
		// numbers go the server's own way, where 6 names the document with id 6L
		assertThat(items.find(Filters.in("_id", 5L, 6)).map(d -> d.getInteger("n")).into(new ArrayList<>()))
				.containsExactlyInAnyOrder(5, 6);
		assertThat(items.find(new Document("_id", new Document("$in", List.of("a", "b")).append("$ne", "a")))
				.map(d -> d.get("_id")).into(new ArrayList<>())).as("more than a list: matched as given").containsExactly("b");

		assertThat(items.updateMany(Filters.in("_id", "a", "b", "missing"), Updates.inc("n", 10)).getModifiedCount())
				.isEqualTo(2);
		assertThat(items.deleteMany(Filters.in("_id", "b", uuid)).getDeletedCount()).isEqualTo(2);
		assertThat(items.find().map(d -> d.get("_id") + "=" + d.get("n")).into(new ArrayList<>()))
				.containsExactlyInAnyOrder("a=11", "c=3", "5=5", "6=6");
		assertThat(store.scans().getOrDefault("fidelis.items", 0L)).as("the list with $ne, and the unfiltered read, scan")
				.isEqualTo(2);
	}

	@Test
	void only_a_bare_list_of_strings_uuids_or_object_ids_is_taken_from_the_id_index_as_it_is() {
		java.util.function.Function<Object, de.bwaldvogel.mongo.bson.Document> in = ids -> new de.bwaldvogel.mongo.bson.Document(
				"_id", new de.bwaldvogel.mongo.bson.Document("$in", ids));
		assertThat(StoredCollection.isListOfIds(in.apply(List.of("a", java.util.UUID.randomUUID(),
				new de.bwaldvogel.mongo.bson.ObjectId())), "_id")).isTrue();
		assertThat(StoredCollection.isListOfIds(in.apply(List.of()), "_id")).isTrue();
		assertThat(StoredCollection.isListOfIds(in.apply(List.of("a", 5)), "_id")).as("numbers compare across types").isFalse();
		assertThat(StoredCollection.isListOfIds(in.apply(List.of("a")).append("program", "acme"), "_id")).isFalse();
		assertThat(StoredCollection.isListOfIds(new de.bwaldvogel.mongo.bson.Document("_id",
				new de.bwaldvogel.mongo.bson.Document("$in", List.of("a")).append("$ne", "b")), "_id")).isFalse();
		assertThat(StoredCollection.isListOfIds(new de.bwaldvogel.mongo.bson.Document("_id", "a"), "_id")).isFalse();
		assertThat(StoredCollection.isListOfIds(in.apply(List.of("a")), null)).as("a collection without ids").isFalse();
	}

	@Test
	void commands_are_counted_by_collection_and_name_reads_included() throws Exception {
		DurableMemoryBackend store = DurableMemoryBackend.inMemory();
		MongoCollection<Document> members = start(store).getCollection("members");
		members.insertOne(new Document("_id", "m1")); // before the registry binds: told when it does
		var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		new StoreMetrics(store).bindTo(registry);

		members.find(Filters.eq("_id", "m1")).first();
		members.find(Filters.eq("_id", "m1")).first();
		members.findOneAndUpdate(Filters.eq("_id", "m1"), Updates.set("name", "Ann"));

		assertThat(registry.get("fidelis.store.commands").tag("collection", "fidelis.members").tag("command", "insert")
				.functionCounter().count()).isEqualTo(1);
		assertThat(registry.get("fidelis.store.commands").tag("collection", "fidelis.members").tag("command", "find")
				.functionCounter().count()).isEqualTo(2);
		assertThat(registry.get("fidelis.store.commands").tag("collection", "fidelis.members")
				.tag("command", "findandmodify").functionCounter().count()).isEqualTo(1);
	}

	@Test
	void data_an_earlier_version_kept_in_an_h2_file_is_copied_over_once() throws Exception {
		Path data = dir.resolve("data");
		Files.createDirectories(data);
		de.bwaldvogel.mongo.backend.h2.H2Backend h2 = new de.bwaldvogel.mongo.backend.h2.H2Backend(
				data.resolve("fidelis.mv").toString());
		MongoServer old = new MongoServer(h2);
		old.bind(new InetSocketAddress("127.0.0.1", 0), 1, 4);
		try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + old.getLocalAddress().getPort())) {
			MongoCollection<Document> members = client.getDatabase("fidelis").getCollection("members");
			members.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true));
			members.insertOne(new Document("_id", "m1").append("email", "a@example.com"));
			members.insertOne(new Document("_id", "m2").append("email", "b@example.com"));
			client.getDatabase("fidelis").getCollection("accounts").insertOne(new Document("_id", "m1").append("balance", 7L));
		}
		old.shutdown(); // closes the MVStore, which commits

		com.mongodb.client.MongoDatabase migrated = start(DurableMemoryBackend.open(data, 64 << 20));
		assertThat(migrated.getCollection("members").countDocuments()).isEqualTo(2);
		assertThat(migrated.getCollection("accounts").find(Filters.eq("_id", "m1")).first().getLong("balance")).isEqualTo(7L);
		assertThatThrownBy(() -> migrated.getCollection("members")
				.insertOne(new Document("_id", "m3").append("email", "a@example.com")))
				.isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
		assertThat(data.resolve("fidelis.mv")).doesNotExist();
		assertThat(data.resolve("fidelis.mv.migrated")).exists();
	}

	@Test
	void it_answers_hello_as_drivers_and_a_second_node_ask_it() {
		Document hello = start(DurableMemoryBackend.inMemory()).runCommand(new Document("hello", 1));
		assertThat(hello.get("isWritablePrimary")).isEqualTo(true);
		assertThat(hello.get("ok", Number.class).intValue()).isEqualTo(1);
		assertThat(hello.containsKey("setName")).isFalse(); // no replica set, so no transactions are offered
	}

	/**
	 * A TTL index makes the store remove documents whose date is older than its age, found by the
	 * minute they expire rather than by reading the collection; the removals are in the files,
	 * and the index with its age comes back at start-up.
	 */
	@Test
	void documents_past_their_ttl_index_age_are_removed_by_key_and_stay_removed() throws Exception {
		Path data = dir.resolve("data");
		DurableMemoryBackend store = DurableMemoryBackend.open(data, 64 << 20);
		MongoCollection<Document> claims = start(store).getCollection("claims");
		claims.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(60L, java.util.concurrent.TimeUnit.SECONDS));
		long now = System.currentTimeMillis();
		claims.insertOne(new Document("_id", "old").append("at", new java.util.Date(now - 120_000)));
		claims.insertOne(new Document("_id", "recent").append("at", new java.util.Date(now - 30_000)));
		claims.insertOne(new Document("_id", "no date").append("at", "yesterday"));
		claims.insertOne(new Document("_id", "no field"));
		claims.insertOne(new Document("_id", "renewed").append("at", new java.util.Date(now - 600_000)));
		claims.updateOne(Filters.eq("_id", "renewed"), Updates.set("at", new java.util.Date(now)));
		claims.insertOne(new Document("_id", "removed first").append("at", new java.util.Date(now - 600_000)));
		claims.deleteOne(Filters.eq("_id", "removed first"));
		// the freed place holds a document that expires later: the old hint must not remove it
		claims.insertOne(new Document("_id", "in its place").append("at", new java.util.Date(now)));
		long scans = store.scans().getOrDefault("fidelis.claims", 0L);

		assertThat(store.expireDue(now)).isEqualTo(1);
		assertThat(store.scans().getOrDefault("fidelis.claims", 0L)).as("expiry reads by key").isEqualTo(scans);
		assertThat(ids(claims)).containsExactlyInAnyOrder("recent", "no date", "no field", "renewed", "in its place");
		assertThat(store.expireDue(now + 31_000)).isEqualTo(1);
		assertThat(ids(claims)).containsExactlyInAnyOrder("no date", "no field", "renewed", "in its place");
		assertThat(store.expireDue(now + 31_000)).as("nothing more is due").isZero();
		assertThat(store.expiredOf("fidelis.claims").sum()).isEqualTo(2);

		Path copy = copyOf(data);
		DurableMemoryBackend reopened = DurableMemoryBackend.open(copy, 64 << 20);
		MongoCollection<Document> recovered = start(reopened).getCollection("claims");
		assertThat(ids(recovered)).containsExactlyInAnyOrder("no date", "no field", "renewed", "in its place");
		assertThat(reopened.expireDue(now + 61_000)).as("the age came back with the index, and so did the dates")
				.isEqualTo(2);
		assertThat(ids(recovered)).containsExactlyInAnyOrder("no date", "no field");

		// created again with another age, the index takes it (MongoDB's collMod), here and after a restart
		recovered.createIndex(Indexes.ascending("at"), new IndexOptions().expireAfter(3_600L, java.util.concurrent.TimeUnit.SECONDS));
		recovered.insertOne(new Document("_id", "kept an hour").append("at", new java.util.Date(now - 120_000)));
		assertThat(reopened.expireDue(now)).isZero();
		DurableMemoryBackend third = DurableMemoryBackend.open(copyOf(copy), 64 << 20);
		MongoCollection<Document> again = start(third).getCollection("claims");
		assertThat(third.expireDue(now)).isZero();
		assertThat(third.expireDue(now + 3_600_000)).isEqualTo(1);
		again.insertOne(new Document("_id", "after the drop").append("at", new java.util.Date(now - 7_200_000)));
		again.dropIndex("at_1");
		assertThat(third.expireDue(now + 3_600_000)).as("a dropped TTL index expires nothing").isZero();
		assertThat(ids(again)).containsExactlyInAnyOrder("no date", "no field", "after the drop");
	}

	private static List<Object> ids(MongoCollection<Document> collection) {
		List<Object> ids = new ArrayList<>();
		collection.find().forEach(d -> ids.add(d.get("_id")));
		return ids;
	}

	private com.mongodb.client.MongoDatabase start(DurableMemoryBackend store) {
		StoreServer server = new StoreServer(store);
		int port = server.bind(new InetSocketAddress("127.0.0.1", 0), 4).getPort();
		MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port);
		open.add(server);
		open.add(client);
		return client.getDatabase("fidelis");
	}

	/** The files as a kill -9 would leave them at this moment. */
	private Path copyOf(Path data) throws IOException {
		Path copy = Files.createTempDirectory(dir, "copy");
		try (Stream<Path> files = Files.list(data)) {
			for (Path f : files.toList()) {
				Files.copy(f, copy.resolve(f.getFileName()));
			}
		}
		return copy;
	}
}
