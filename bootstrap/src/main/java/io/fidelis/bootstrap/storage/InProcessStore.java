package io.fidelis.bootstrap.storage;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.io.BasicOutputBuffer;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;

import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The embedded engine reached from the node's own threads: a command goes to the engine as BSON
 * and its reply comes back as BSON, with no driver, wire protocol, socket or I/O thread in
 * between. On the wire an earn spent about a quarter of its CPU in the driver and another tenth in
 * the server's wire codec and Netty (docs/benchmarks/write-path.md, step 16).
 *
 * <p>Durability is the engine's own: a command run here returns once everything the log held
 * when it finished is on disk, as a reply on the wire does, and every caller waiting at that
 * moment shares one disk sync. The engine keeps per-connection state (the last write's status),
 * so each command borrows a connection of its own from a small pool.
 */
final class InProcessStore {

	private static final BsonDocumentCodec COMMANDS = new BsonDocumentCodec();
	private static final EncoderContext ENCODING = EncoderContext.builder().build();
	private static final DecoderContext DECODING = DecoderContext.builder().build();

	private final DurableMemoryBackend engine;
	private final CodecRegistry codecs;
	private final Codec<Document> documents;
	private final ServerAddress address;
	private final Queue<Channel> connections = new ConcurrentLinkedQueue<>();
	/**
	 * Commands inside the engine at once: as many as cores, taken in turn. The engine locks a
	 * collection per command with a monitor that lets newcomers barge, so 64 request threads
	 * meeting there made some wait far longer than others.
	 */
	private final java.util.concurrent.Semaphore admission = new java.util.concurrent.Semaphore(
			Runtime.getRuntime().availableProcessors(), true);
	private final MeterRegistry meters;
	private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
	/** With tracing on: each command a step of the trace that runs it, as the driver's listener makes it. */
	private final ObservationRegistry observations;
	/** Values carried as objects ({@link EngineValues}); otherwise, or for a value it does not carry, as BSON bytes. */
	private final boolean direct;
	/** Commands and documents that went through bytes, and all of them (for tests and figures). */
	private final java.util.concurrent.atomic.LongAdder throughBytes = new java.util.concurrent.atomic.LongAdder();
	private final java.util.concurrent.atomic.LongAdder carried = new java.util.concurrent.atomic.LongAdder();

	/**
	 * @param standardUuids whether the driver's codecs read and write UUIDs in the standard
	 *            representation, as {@link EngineValues} does; if not, every value goes through bytes
	 */
	InProcessStore(DurableMemoryBackend engine, CodecRegistry codecs, boolean standardUuids, ServerAddress address,
			MeterRegistry meters, ObservationRegistry observations) {
		this.direct = standardUuids;
		this.engine = engine;
		this.codecs = codecs;
		this.documents = codecs.get(Document.class);
		this.address = address;
		this.meters = meters;
		this.observations = observations;
	}

	CodecRegistry codecs() {
		return codecs;
	}

	ServerAddress address() {
		return address;
	}

	/**
	 * Runs {@code command} (its first key names it) against {@code database}; answers the
	 * engine's reply, or throws what the driver throws for a reply that is not ok.
	 */
	de.bwaldvogel.mongo.bson.Document run(String database, BsonDocument command) {
		String name = command.getFirstKey();
		BsonValue target = command.get(name);
		String collection = target != null && target.isString() ? target.asString().getValue() : "";
		if (observations == null) {
			return run(database, command, name, collection);
		}
		// named as Spring Data's observations of the driver's commands, so that the same rules keep or drop them
		return Observation.createNotStarted("spring.data.mongodb.command", observations)
				.contextualName(name + " " + collection).lowCardinalityKeyValue("db.system", "mongodb")
				.lowCardinalityKeyValue("db.operation", name).lowCardinalityKeyValue("db.name", database)
				.lowCardinalityKeyValue("db.mongodb.collection", collection)
				.observe(() -> run(database, command, name, collection));
	}

	private de.bwaldvogel.mongo.bson.Document run(String database, BsonDocument command, String name, String collection) {
		long started = System.nanoTime();
		boolean ok = false;
		try {
			de.bwaldvogel.mongo.bson.Document reply = execute(database, name, toEngine(command));
			if (!(reply.get("ok") instanceof Number done && done.doubleValue() == 1.0)) {
				BsonDocument response = new BsonDocument("ok", new BsonDouble(0))
						.append("errmsg", new BsonString(String.valueOf(reply.getOrDefault("errmsg", ""))))
						.append("code", new BsonInt32(reply.get("code") instanceof Number code ? code.intValue() : -1));
				if (reply.get("codeName") instanceof String codeName) {
					response.append("codeName", new BsonString(codeName));
				}
				throw new MongoCommandException(response, address);
			}
			ok = true;
			return reply;
		}
		finally {
			record(name, database, collection, ok, System.nanoTime() - started);
		}
	}

	/** A document of a reply as the driver's codec would read it. */
	Document decode(de.bwaldvogel.mongo.bson.Document document) {
		return carry(() -> EngineValues.toDocument(document),
				() -> documents.decode(new BsonBinaryReader(toBson(document).getByteBuffer().asNIO()), DECODING));
	}

	/** As objects when values are carried so and this one's kinds are; otherwise as BSON bytes. */
	private <T> T carry(java.util.function.Supplier<T> asObjects, java.util.function.Supplier<T> asBytes) {
		carried.increment();
		if (direct) {
			try {
				return asObjects.get();
			}
			catch (EngineValues.Other e) {
				// a kind of value carried only as bytes
			}
		}
		throughBytes.increment();
		return asBytes.get();
	}

	/** How many commands and reply documents went through bytes, of how many. */
	long[] throughBytes() {
		return new long[] { throughBytes.sum(), carried.sum() };
	}

	/** A value of a reply (an upserted id) as the driver reads it. */
	BsonValue bson(Object value) {
		if (value instanceof String text) {
			return new BsonString(text);
		}
		if (value instanceof Integer number) {
			return new BsonInt32(number);
		}
		if (value instanceof Long number) {
			return new BsonInt64(number);
		}
		de.bwaldvogel.mongo.bson.Document holder = new de.bwaldvogel.mongo.bson.Document();
		holder.put("v", value);
		return toBson(holder).get("v");
	}

	private de.bwaldvogel.mongo.bson.Document execute(String database, String name,
			de.bwaldvogel.mongo.bson.Document command) {
		Channel connection = connections.poll();
		if (connection == null) {
			connection = new EmbeddedChannel();
		}
		de.bwaldvogel.mongo.bson.Document reply;
		admission.acquireUninterruptibly();
		try {
			reply = engine.handleUnsynced(connection, database, name, command);
		}
		catch (MongoServerException e) {
			reply = error(e);
		}
		finally {
			admission.release();
			connections.offer(connection);
		}
		try {
			// outside the admission: callers waiting for the disk at one moment share its sync
			engine.awaitDurable();
		}
		catch (MongoServerException e) {
			reply = error(e); // the log failed: nothing this command saw may be told
		}
		return reply;
	}

	/** What the wire handler answers for a failed command. */
	private static de.bwaldvogel.mongo.bson.Document error(MongoServerException e) {
		de.bwaldvogel.mongo.bson.Document error = new de.bwaldvogel.mongo.bson.Document();
		error.put("errmsg", e.getMessageWithoutErrorCode());
		if (e instanceof MongoServerError coded) {
			error.put("code", coded.getCode());
			error.putIfNotNull("codeName", coded.getCodeName());
		}
		error.put("ok", 0);
		return error;
	}

	private de.bwaldvogel.mongo.bson.Document toEngine(BsonDocument command) {
		return carry(() -> EngineValues.toEngine(command), () -> {
			BasicOutputBuffer out = new BasicOutputBuffer(512);
			try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
				COMMANDS.encode(writer, command, ENCODING);
			}
			return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(out.getInternalBuffer(), 0, out.getPosition()));
		});
	}

	private static RawBsonDocument toBson(de.bwaldvogel.mongo.bson.Document reply) {
		ByteBuf buffer = Unpooled.buffer(256);
		BsonEncoder.encodeDocument(reply, buffer);
		return new RawBsonDocument(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), buffer.readableBytes());
	}

	/** The driver's own command timer, so that dashboards see in-process commands as they saw them on the wire. */
	private void record(String command, String database, String collection, boolean ok, long nanos) {
		if (meters == null) {
			return;
		}
		String key = command + '\u0000' + database + '\u0000' + collection + '\u0000' + ok;
		Timer timer = timers.get(key);
		if (timer == null) {
			timer = timers.computeIfAbsent(key, k -> Timer.builder("mongodb.driver.commands")
					.description("Timer of mongodb commands").tag("command", command).tag("database", database).tag("collection", collection)
					.tag("cluster.id", "in-process").tag("server.address", address.toString())
					.tag("status", ok ? "SUCCESS" : "FAILED").register(meters));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}
}
