package io.fidelis.bootstrap.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.DeleteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The in-process collections answer exactly what the driver answers over the wire: the same
 * random sequences of writes and reads (with duplicate keys on two unique indexes, upserts,
 * ordered and unordered batches) run against two stores, one reached through the driver and one
 * in-process, give the same results, the same errors with the same indexes and counts, and the
 * same data. An acknowledged in-process write is in the files, as one acknowledged on the wire.
 */
class LocalCollectionTest {

	@TempDir
	Path dir;

	private final List<AutoCloseable> open = new ArrayList<>();
	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
	/** The last in-process store made. */
	private InProcessStore inProcess;

	@AfterEach
	void closeAll() throws Exception {
		for (int i = open.size() - 1; i >= 0; i--) {
			open.get(i).close();
		}
	}

	@ParameterizedTest
	@org.junit.jupiter.params.provider.CsvSource({ "1, true", "2, true", "3, true", "4, true", "5, true", "6, true",
			"7, false", "8, false" })
	void random_sequences_answer_as_the_driver_does_on_the_wire(long seed, boolean asObjects) {
		MongoCollection<Document> wire = items(wire(DurableMemoryBackend.inMemory()));
		MongoCollection<Document> local = items(local(DurableMemoryBackend.inMemory(), asObjects));
		assertThat(local.toString()).startsWith("in-process");
		Random random = new Random(seed);
		for (int step = 0; step < 300; step++) {
			long choice = random.nextLong();
			String expected = outcome(wire, new Random(choice));
			String actual = outcome(local, new Random(choice));
			assertThat(actual).as("step %d", step).isEqualTo(expected);
		}
		assertThat(local.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()))
				.isEqualTo(wire.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
		long[] throughBytes = inProcess.throughBytes();
		if (asObjects) {
			assertThat(throughBytes[0]).as("only values of the rarer kinds (a pattern) went through bytes")
					.isPositive().isLessThan(throughBytes[1] / 4);
		}
		else {
			assertThat(throughBytes[0]).isEqualTo(throughBytes[1]);
		}
	}

	/**
	 * Each kind of value the adapters store, as a whole document given to the driver's API (how
	 * Spring Data hands over an event publication: its id a {@code java.util.UUID}), goes to the
	 * engine as objects, not through BSON bytes, and reads back as the wire reads it.
	 */
	@Test
	void every_kind_the_adapters_store_travels_as_objects() {
		MongoCollection<Document> wire = items(wire(DurableMemoryBackend.inMemory()));
		MongoCollection<Document> local = items(local(DurableMemoryBackend.inMemory()));
		Random random = new Random(11);
		List<Document> documents = new ArrayList<>();
		for (int kind = 0; kind < 14; kind++) {
			if (kind == 11) {
				continue; // a pattern: carried as bytes, on purpose
			}
			Object value;
			do {
				value = extra(random);
			}
			while (!kindOf(value, kind));
			documents.add(new Document("_id", java.util.UUID.nameUUIDFromBytes(new byte[] { (byte) kind }))
					.append("v", value).append("in", List.of(new Document("v", value))));
		}
		long[] before = inProcess.throughBytes();
		for (Document document : documents) {
			local.insertOne(new Document(document));
			wire.insertOne(new Document(document));
		}
		for (Document document : documents) {
			assertThat(local.find(Filters.eq("_id", document.get("_id"))).first())
					.isEqualTo(wire.find(Filters.eq("_id", document.get("_id"))).first());
		}
		long[] after = inProcess.throughBytes();
		// an insert is a command; a find a command and the document it answers
		assertThat(after[1] - before[1]).as("commands and documents carried").isEqualTo(3L * documents.size());
		assertThat(after[0] - before[0]).as("of them, through bytes").isZero();
	}

	/**
	 * Deletes with empty options (how Spring Data's {@code remove} sends them: the event
	 * registry's removal of completed publications) run in-process; options the engine is not
	 * asked for here go to the wire.
	 */
	@Test
	void deletes_with_empty_options_run_in_process() {
		MongoCollection<Document> local = items(local(DurableMemoryBackend.inMemory()));
		local.insertMany(List.of(new Document("_id", "a"), new Document("_id", "b"), new Document("_id", "c")));
		long[] before = inProcess.throughBytes();
		assertThat(local.deleteMany(Filters.in("_id", "a", "b"), new DeleteOptions()).getDeletedCount()).isEqualTo(2);
		assertThat(local.deleteOne(Filters.eq("_id", "c"), new DeleteOptions()).getDeletedCount()).isEqualTo(1);
		assertThat(inProcess.throughBytes()[1] - before[1]).as("commands carried in-process").isEqualTo(2);
		local.insertOne(new Document("_id", "d"));
		long[] beforeWire = inProcess.throughBytes();
		assertThat(local.deleteMany(Filters.eq("_id", "d"), new DeleteOptions().comment("to the wire")).getDeletedCount())
				.isEqualTo(1);
		assertThat(inProcess.throughBytes()[1] - beforeWire[1]).as("commands carried in-process").isZero();
		assertThat(local.countDocuments()).isZero();
	}

	/** The estimated count the due-work pollers ask every second runs in-process and answers as the wire does. */
	@Test
	void the_estimated_count_runs_in_process() {
		MongoCollection<Document> wire = items(wire(DurableMemoryBackend.inMemory()));
		MongoCollection<Document> local = items(local(DurableMemoryBackend.inMemory()));
		for (MongoCollection<Document> c : List.of(wire, local)) {
			c.insertMany(List.of(new Document("_id", "a"), new Document("_id", "b"), new Document("_id", "c")));
			c.deleteOne(Filters.eq("_id", "b"));
		}
		long[] before = inProcess.throughBytes();
		assertThat(local.estimatedDocumentCount()).isEqualTo(wire.estimatedDocumentCount()).isEqualTo(2);
		assertThat(inProcess.throughBytes()[1] - before[1]).as("commands carried in-process").isEqualTo(1);
	}

	/** Whether {@code value} is what {@link #extra} makes for {@code kind}. */
	private static boolean kindOf(Object value, int kind) {
		return switch (kind) {
			case 0 -> value instanceof Long;
			case 1 -> value instanceof Double;
			case 2 -> value instanceof java.util.Date;
			case 3 -> value instanceof java.time.Instant;
			case 4 -> value instanceof ObjectId;
			case 5 -> value instanceof org.bson.types.Decimal128;
			case 6 -> value instanceof org.bson.types.Binary;
			case 7 -> value instanceof java.util.UUID;
			case 8 -> value instanceof Document;
			case 9 -> value == null || value instanceof Boolean;
			case 10 -> value instanceof byte[];
			case 12 -> value instanceof List<?>;
			default -> value instanceof org.bson.conversions.Bson && !(value instanceof Document);
		};
	}

	@Test
	void an_acknowledged_in_process_write_is_in_the_files() throws Exception {
		Path data = dir.resolve("data");
		DurableMemoryBackend store = DurableMemoryBackend.open(data, Long.MAX_VALUE);
		MongoCollection<Document> items = items(local(store));
		items.insertOne(new Document("_id", "a").append("email", "a@example.com").append("n", 1));
		items.updateOne(Filters.eq("_id", "a"), Updates.inc("n", 41));
		items.bulkWrite(List.of(new InsertOneModel<>(new Document("_id", "b").append("n", 2)),
				new DeleteOneModel<>(Filters.eq("_id", "b"))));

		Path copy = Files.createTempDirectory(dir, "copy"); // what a kill -9 leaves at this moment
		try (Stream<Path> files = Files.list(data)) {
			for (Path f : files.toList()) {
				Files.copy(f, copy.resolve(f.getFileName()));
			}
		}
		MongoCollection<Document> reopened = items(wire(DurableMemoryBackend.open(copy, Long.MAX_VALUE)));
		assertThat(reopened.find().into(new ArrayList<>()))
				.containsExactly(new Document("_id", "a").append("email", "a@example.com").append("n", 42));
	}

	@Test
	void refusals_are_the_drivers_own_exceptions() {
		MongoCollection<Document> items = items(local(DurableMemoryBackend.inMemory()));
		items.insertOne(new Document("_id", "a").append("email", "taken@example.com"));

		assertThatThrownBy(() -> items.insertOne(new Document("_id", "b").append("email", "taken@example.com")))
				.isInstanceOfSatisfying(MongoWriteException.class,
						e -> assertThat(e.getError().getCategory()).isEqualTo(com.mongodb.ErrorCategory.DUPLICATE_KEY));
		assertThatThrownBy(() -> items.insertMany(List.of(new Document("_id", "c"), new Document("_id", "a"),
				new Document("_id", "d")), new InsertManyOptions().ordered(false)))
				.isInstanceOfSatisfying(MongoBulkWriteException.class, e -> {
					assertThat(e.getWriteErrors()).extracting(w -> w.getIndex()).containsExactly(1);
					assertThat(e.getWriteResult().getInserts()).extracting(i -> i.getIndex()).containsExactly(0, 2);
				});
		assertThatThrownBy(() -> items.findOneAndUpdate(Filters.eq("_id", "new"), Updates.set("email", "taken@example.com"),
				new FindOneAndUpdateOptions().upsert(true))).isInstanceOfSatisfying(MongoCommandException.class,
						e -> assertThat(e.getErrorCode()).isEqualTo(11000));
		assertThat(items.countDocuments()).as("the refused writes changed nothing else").isEqualTo(3);
	}

	@Test
	void a_document_without_an_id_gets_one_as_the_driver_gives_it() {
		MongoCollection<Document> items = items(local(DurableMemoryBackend.inMemory()));
		Document document = new Document("email", "new@example.com");
		InsertOneResult result = items.insertOne(document);
		assertThat(document.get("_id")).isInstanceOf(ObjectId.class);
		assertThat(result.getInsertedId().asObjectId().getValue()).isEqualTo(document.getObjectId("_id"));
		assertThat(items.find(Filters.eq("email", "new@example.com")).first()).isEqualTo(document);
	}

	@Test
	void large_results_come_in_batches_and_calls_it_does_not_run_itself_go_through_the_driver() {
		MongoCollection<Document> items = items(local(DurableMemoryBackend.inMemory()));
		List<Document> many = new ArrayList<>();
		for (int i = 0; i < 250; i++) {
			many.add(new Document("_id", i).append("n", i % 7));
		}
		items.insertMany(many);
		List<Integer> ids = new ArrayList<>();
		items.find().sort(Sorts.ascending("_id")).batchSize(16).forEach(d -> ids.add(d.getInteger("_id")));
		assertThat(ids).hasSize(250).isSorted();
		assertThat(items.find(Filters.eq("n", 3)).map(d -> d.getInteger("_id")).into(new ArrayList<>())).hasSize(36);
		// options the in-process find does not take, a count and a distinct: through the driver, same answers
		assertThat(items.find(Filters.eq("n", 3)).comment("why").sort(Sorts.descending("_id")).first().getInteger("_id"))
				.isEqualTo(248);
		assertThat(items.countDocuments(Filters.eq("n", 3))).isEqualTo(36);
		assertThat(items.distinct("n", Integer.class).into(new ArrayList<>())).hasSize(7);
		assertThat(meters.find("mongodb.driver.commands").tag("command", "find").tag("collection", "items").timer())
				.as("in-process commands are timed as the driver times its own").isNotNull()
				.satisfies(t -> assertThat(t.count()).isPositive());
	}

	// --- one random step: a write or a read, its outcome as text -------------------------------

	private static String outcome(MongoCollection<Document> items, Random r) {
		try {
			return describe(step(items, r));
		}
		catch (MongoBulkWriteException e) {
			return "bulk error " + e.getWriteErrors().stream().map(w -> w.getIndex() + ":" + w.getCode()).toList() + " "
					+ describe(e.getWriteResult());
		}
		catch (MongoWriteException e) {
			return "write error " + e.getError().getCode();
		}
		catch (MongoCommandException e) {
			return "command error " + e.getErrorCode();
		}
	}

	private static Object step(MongoCollection<Document> items, Random r) {
		Function<Random, String> id = x -> "k" + x.nextInt(12);
		Function<Random, String> email = x -> "e" + x.nextInt(6) + "@example.com";
		return switch (r.nextInt(12)) {
			case 0 -> items.insertOne(new Document("_id", id.apply(r)).append("email", email.apply(r)).append("n", r.nextInt(10))
					.append("extra", extra(r)));
			case 1 -> items.insertMany(List.of(new Document("_id", id.apply(r)).append("n", r.nextInt(10)),
					new Document("_id", id.apply(r)).append("email", email.apply(r)).append("n", r.nextInt(10)),
					new Document("_id", id.apply(r)).append("n", r.nextInt(10))), new InsertManyOptions().ordered(r.nextBoolean()));
			case 2 -> items.updateOne(Filters.eq("_id", id.apply(r)), Updates.combine(Updates.inc("n", 1),
					Updates.set("email", email.apply(r)), Updates.set("extra", extra(r))), new UpdateOptions().upsert(r.nextBoolean()));
			case 3 -> items.updateMany(Filters.gte("n", r.nextInt(10)), Updates.set("flag", r.nextInt(3)));
			case 4 -> items.replaceOne(Filters.eq("_id", id.apply(r)), new Document("email", email.apply(r)).append("n", 5),
					new ReplaceOptions().upsert(r.nextBoolean()));
			case 5 -> switch (r.nextInt(3)) {
				case 0 -> items.deleteOne(Filters.eq("_id", id.apply(r)));
				case 1 -> items.deleteMany(Filters.lt("n", r.nextInt(4)));
				default -> items.deleteMany(Filters.in("_id", id.apply(r), id.apply(r)), new DeleteOptions()); // as Spring Data removes
			};
			case 6 -> items.bulkWrite(randomModels(r, id, email), new BulkWriteOptions().ordered(r.nextBoolean()));
			case 7 -> items.findOneAndUpdate(Filters.eq("_id", id.apply(r)), Updates.set("email", email.apply(r)),
					new FindOneAndUpdateOptions().upsert(r.nextBoolean())
							.returnDocument(r.nextBoolean() ? ReturnDocument.AFTER : ReturnDocument.BEFORE)
							.projection(r.nextBoolean() ? Projections.include("n") : null));
			case 8 -> items.findOneAndDelete(Filters.eq("email", email.apply(r)));
			case 9 -> items.find(Filters.gte("n", r.nextInt(10))).sort(Sorts.orderBy(Sorts.descending("n"), Sorts.ascending("_id")))
					.skip(r.nextInt(3)).limit(r.nextInt(4)).projection(r.nextBoolean() ? Projections.exclude("email") : null)
					.into(new ArrayList<>());
			case 10 -> items.find(Filters.eq("email", email.apply(r))).first();
			default -> items.find(Filters.in("_id", id.apply(r), id.apply(r))).batchSize(1).sort(Sorts.ascending("_id"))
					.into(new ArrayList<>());
		};
	}

	/** A value of one of the kinds the adapters store, nested sometimes. */
	private static Object extra(Random r) {
		return switch (r.nextInt(14)) {
			case 0 -> r.nextLong();
			case 1 -> r.nextDouble();
			case 2 -> new java.util.Date(1_700_000_000_000L + r.nextInt(1_000_000));
			case 3 -> java.time.Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1_000_000));
			case 4 -> new ObjectId(new java.util.Date(1_700_000_000_000L), r.nextInt(1 << 20));
			case 5 -> new org.bson.types.Decimal128(new java.math.BigDecimal(r.nextInt(100_000)).movePointLeft(2));
			case 6 -> new org.bson.types.Binary(new byte[] { (byte) r.nextInt(), 1, 2 });
			case 7 -> new java.util.UUID(r.nextLong(), r.nextLong());
			case 8 -> new Document("nested", List.of(r.nextInt(5), "x", new Document("deep", r.nextBoolean())));
			case 9 -> r.nextBoolean() ? null : Boolean.TRUE;
			case 10 -> new byte[] { 3, (byte) r.nextInt() };
			case 11 -> java.util.regex.Pattern.compile("^k" + r.nextInt(3)); // carried as bytes
			case 12 -> List.of(new org.bson.BsonTimestamp(r.nextInt(1000), 1), "t");
			default -> Sorts.ascending("n"); // a Bson value inside a document
		};
	}

	private static List<WriteModel<Document>> randomModels(Random r, Function<Random, String> id, Function<Random, String> email) {
		List<WriteModel<Document>> models = new ArrayList<>();
		int count = 1 + r.nextInt(6);
		for (int i = 0; i < count; i++) {
			models.add(switch (r.nextInt(5)) {
				case 0 -> new InsertOneModel<>(new Document("_id", id.apply(r)).append("email", email.apply(r)).append("n", 1));
				case 1 -> new UpdateOneModel<>(Filters.eq("_id", id.apply(r)), Updates.inc("n", 2),
						new UpdateOptions().upsert(r.nextBoolean()));
				case 2 -> new ReplaceOneModel<>(Filters.eq("_id", id.apply(r)), new Document("email", email.apply(r)).append("n", 3),
						new ReplaceOptions().upsert(r.nextBoolean()));
				case 3 -> new DeleteOneModel<>(Filters.eq("_id", id.apply(r)));
				default -> new DeleteManyModel<>(Filters.eq("n", r.nextInt(10)));
			});
		}
		return models;
	}

	private static String describe(Object result) {
		if (result instanceof InsertOneResult one) {
			return "inserted " + one.getInsertedId();
		}
		if (result instanceof InsertManyResult many) {
			return "inserted " + new java.util.TreeMap<>(many.getInsertedIds());
		}
		if (result instanceof UpdateResult update) {
			return "updated " + update.getMatchedCount() + "/" + update.getModifiedCount() + "/" + update.getUpsertedId();
		}
		if (result instanceof DeleteResult delete) {
			return "deleted " + delete.getDeletedCount();
		}
		if (result instanceof BulkWriteResult bulk) {
			return "bulk " + bulk.getInsertedCount() + "/" + bulk.getMatchedCount() + "/" + bulk.getModifiedCount() + "/"
					+ bulk.getDeletedCount() + " upserts " + bulk.getUpserts() + " inserts " + bulk.getInserts();
		}
		return String.valueOf(result);
	}

	// --- two ways to one kind of store ---------------------------------------------------------

	private MongoDatabase wire(DurableMemoryBackend store) {
		return client(store).getDatabase("fidelis");
	}

	private MongoDatabase local(DurableMemoryBackend store) {
		return local(store, true);
	}

	/** @param asObjects values carried as objects (as the application does), or else as BSON bytes */
	private MongoDatabase local(DurableMemoryBackend store, boolean asObjects) {
		MongoClient client = client(store);
		inProcess = new InProcessStore(store, client.getDatabase("fidelis").getCodecRegistry(), asObjects,
				client.getClusterDescription().getClusterSettings().getHosts().get(0), meters, null);
		return new LocalDatabaseFactory(client, "fidelis", inProcess).getMongoDatabase();
	}

	private MongoClient client(DurableMemoryBackend store) {
		StoreServer server = new StoreServer(store);
		int port = server.bind(new InetSocketAddress("127.0.0.1", 0), 2).getPort();
		// as the application's client: UUIDs in the standard representation
		MongoClient client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
				.applyConnectionString(new com.mongodb.ConnectionString("mongodb://127.0.0.1:" + port))
				.uuidRepresentation(org.bson.UuidRepresentation.STANDARD).build());
		open.add(server);
		open.add(client);
		return client;
	}

	private static MongoCollection<Document> items(MongoDatabase database) {
		MongoCollection<Document> items = database.getCollection("items");
		items.createIndex(Indexes.ascending("email"), new IndexOptions().unique(true).sparse(true));
		return items;
	}
}
