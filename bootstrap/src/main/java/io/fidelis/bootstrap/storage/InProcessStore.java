package io.fidelis.bootstrap.storage;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
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
	private final MeterRegistry meters;
	private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
	/** With tracing on: each command a step of the trace that runs it, as the driver's listener makes it. */
	private final ObservationRegistry observations;

	InProcessStore(DurableMemoryBackend engine, CodecRegistry codecs, ServerAddress address, MeterRegistry meters,
			ObservationRegistry observations) {
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
	 * Runs {@code command} (its first key names it) against {@code database}; answers the reply,
	 * or throws what the driver throws for a reply that is not ok.
	 */
	RawBsonDocument run(String database, BsonDocument command) {
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

	private RawBsonDocument run(String database, BsonDocument command, String name, String collection) {
		long started = System.nanoTime();
		boolean ok = false;
		try {
			RawBsonDocument reply = toBson(execute(database, name, toEngine(command)));
			if (!isOk(reply)) {
				throw new MongoCommandException(new BsonDocument().append("ok", reply.get("ok"))
						.append("errmsg", reply.getOrDefault("errmsg", new org.bson.BsonString("")))
						.append("code", reply.getOrDefault("code", new org.bson.BsonInt32(-1)))
						.append("codeName", reply.getOrDefault("codeName", new org.bson.BsonString(""))), address);
			}
			ok = true;
			return reply;
		}
		finally {
			record(name, collection, ok, System.nanoTime() - started);
		}
	}

	Document decode(RawBsonDocument document) {
		return documents.decode(new BsonBinaryReader(document.getByteBuffer().asNIO()), DECODING);
	}

	private de.bwaldvogel.mongo.bson.Document execute(String database, String name,
			de.bwaldvogel.mongo.bson.Document command) {
		Channel connection = connections.poll();
		if (connection == null) {
			connection = new EmbeddedChannel();
		}
		try {
			return engine.handleCommand(connection, database, name, command);
		}
		catch (MongoServerException e) {
			// what the wire handler answers for a failed command
			de.bwaldvogel.mongo.bson.Document error = new de.bwaldvogel.mongo.bson.Document();
			error.put("errmsg", e.getMessageWithoutErrorCode());
			if (e instanceof MongoServerError coded) {
				error.put("code", coded.getCode());
				error.putIfNotNull("codeName", coded.getCodeName());
			}
			error.put("ok", 0);
			return error;
		}
		finally {
			connections.offer(connection);
		}
	}

	private static de.bwaldvogel.mongo.bson.Document toEngine(BsonDocument command) {
		BasicOutputBuffer out = new BasicOutputBuffer(512);
		try (BsonBinaryWriter writer = new BsonBinaryWriter(out)) {
			COMMANDS.encode(writer, command, ENCODING);
		}
		return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(out.getInternalBuffer(), 0, out.getPosition()));
	}

	private static RawBsonDocument toBson(de.bwaldvogel.mongo.bson.Document reply) {
		ByteBuf buffer = Unpooled.buffer(256);
		BsonEncoder.encodeDocument(reply, buffer);
		return new RawBsonDocument(buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), buffer.readableBytes());
	}

	private static boolean isOk(RawBsonDocument reply) {
		BsonValue ok = reply.get("ok");
		return ok != null && ok.isNumber() && ok.asNumber().doubleValue() == 1.0;
	}

	/** The driver's own command timer, so that dashboards see in-process commands as they saw them on the wire. */
	private void record(String command, String collection, boolean ok, long nanos) {
		if (meters == null) {
			return;
		}
		String key = command + '\u0000' + collection + '\u0000' + ok;
		Timer timer = timers.get(key);
		if (timer == null) {
			timer = timers.computeIfAbsent(key, k -> Timer.builder("mongodb.driver.commands")
					.description("Timer of mongodb commands").tag("command", command).tag("collection", collection)
					.tag("cluster.id", "in-process").tag("server.address", address.toString())
					.tag("status", ok ? "SUCCESS" : "FAILED").register(meters));
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}
}
