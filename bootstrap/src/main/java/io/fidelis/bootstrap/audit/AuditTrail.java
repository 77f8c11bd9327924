package io.fidelis.bootstrap.audit;

import static com.mongodb.client.model.Filters.lt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;

/**
 * {@code audit_log}: one document per action, keyed by a time-ordered id, written by one writer
 * thread, many entries per insert. A staff action's answer waits until its entry is stored (it
 * is written at once, with whatever else waits). An integration client's entries are gathered
 * for up to {@link #LINGER} and written together after their answers: a till's earn then costs a
 * small share of one write, not a write and a disk sync of its own before its answer. Should the
 * node crash, the client entries of that last moment are lost, never the actions: each movement
 * or purchase is in its module's own records with the client and transaction that made it.
 */
@Component
class AuditTrail implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
	/** Every audit entry, as a log line. */
	private static final Logger AUDIT = LoggerFactory.getLogger("io.fidelis.audit");
	static final String COLLECTION = "audit_log";
	static final String RETENTION_INDEX = "at_retention";
	/** At most this many entries in one insert. */
	static final int MOST_TOGETHER = 500;
	/** How long client entries wait for others to be written with. */
	static final java.time.Duration LINGER = java.time.Duration.ofMillis(100);
	/** A page reads at most this many entries to fill itself with those the reader may see. */
	static final int MOST_READ_PER_PAGE = 5_000;

	/** @param answerWaits whether an answer waits for it: the writer does not linger then */
	private record Waiting(AuditEntry entry, CompletableFuture<Void> stored, boolean answerWaits) {
	}

	private final MongoDatabaseFactory factory;
	private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
	private volatile Thread writer;

	AuditTrail(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> log() {
		return factory.getMongoDatabase().getCollection(COLLECTION);
	}

	/**
	 * Completes once the entry is stored; {@code answerWaits}: written at once (with whatever
	 * else waits), else gathered with others for up to {@link #LINGER}.
	 */
	CompletableFuture<Void> record(AuditEntry entry, boolean answerWaits) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		if (writer == null) {
			stored.completeExceptionally(new IllegalStateException("The audit trail is not running"));
			return stored;
		}
		queue.add(new Waiting(entry, stored, answerWaits));
		// in the logs too, ids and codes only as stored ({@code logging.level.io.fidelis.audit=WARN} turns it off)
		AUDIT.atInfo().addKeyValue("operation", entry.operation()).addKeyValue("caller", entry.callerKind())
				.addKeyValue("subject", entry.subject()).addKeyValue("outcome", entry.outcome())
				.addKeyValue("program", entry.programId()).addKeyValue("members", entry.memberIds())
				.log("audit {} by {} {}: {}{}{}", entry.operation(), entry.callerKind(), entry.subject(), entry.outcome(),
						entry.programId() == null ? "" : " in " + entry.programId(),
						entry.memberIds().isEmpty() ? "" : " for " + String.join(",", entry.memberIds()));
		return stored;
	}

	/**
	 * The newest entries older than {@code after} (all when null) that {@code visible} lets
	 * through, at most {@code first}; reads at most {@link #MOST_READ_PER_PAGE} entries.
	 *
	 * @return the page and, when more may follow, the id to continue after
	 */
	Page page(String after, int first, Predicate<AuditEntry> visible) {
		Bson filter = after == null ? new Document() : lt("_id", after);
		List<AuditEntry> entries = new ArrayList<>();
		String last = null;
		int read = 0;
		for (Document d : log().find(filter).sort(Sorts.descending("_id")).limit(MOST_READ_PER_PAGE)) {
			read++;
			AuditEntry entry = entry(d);
			last = entry.id();
			if (visible.test(entry)) {
				entries.add(entry);
				if (entries.size() == first) {
					break;
				}
			}
		}
		boolean more = entries.size() == first || read == MOST_READ_PER_PAGE;
		return new Page(entries, more ? last : null);
	}

	record Page(List<AuditEntry> entries, String next) {
	}

	private void writeForever() {
		while (writer == Thread.currentThread()) {
			List<Waiting> batch = new ArrayList<>();
			try {
				batch.add(queue.take());
				boolean someoneWaits = batch.get(0).answerWaits();
				long until = System.nanoTime() + LINGER.toNanos();
				while (!someoneWaits && batch.size() < MOST_TOGETHER) {
					long left = until - System.nanoTime();
					Waiting next = left > 0 ? queue.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS) : null;
					if (next == null) {
						break;
					}
					batch.add(next);
					someoneWaits = next.answerWaits();
				}
			}
			catch (InterruptedException e) {
				queue.addAll(batch); // written below, before the thread ends
				break;
			}
			queue.drainTo(batch, MOST_TOGETHER - batch.size());
			write(batch);
		}
		List<Waiting> left = new ArrayList<>();
		queue.drainTo(left);
		if (!left.isEmpty()) {
			write(left);
		}
	}

	private void write(List<Waiting> batch) {
		RuntimeException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				log().insertMany(batch.stream().map(w -> document(w.entry())).toList(), new InsertManyOptions().ordered(false));
				batch.forEach(w -> w.stored().complete(null));
				return;
			}
			catch (com.mongodb.MongoBulkWriteException e) {
				if (e.getWriteErrors().stream().allMatch(error -> error.getCategory() == com.mongodb.ErrorCategory.DUPLICATE_KEY)) {
					batch.forEach(w -> w.stored().complete(null)); // stored by an attempt that seemed to fail
					return;
				}
				failure = e;
			}
			catch (RuntimeException e) {
				failure = e;
			}
		}
		log.error("{} audit entries could not be stored: {}", batch.size(), failure.toString());
		RuntimeException cause = failure;
		batch.forEach(w -> w.stored().completeExceptionally(cause));
	}

	static Document document(AuditEntry e) {
		return new Document("_id", e.id()).append("at", Date.from(e.at())).append("operation", e.operation())
				.append("outcome", e.outcome()).append("callerKind", e.callerKind()).append("subject", e.subject())
				.append("roles", e.roles()).append("scopes", e.scopes()).append("callerPrograms", e.callerPrograms())
				.append("programId", e.programId()).append("memberIds", e.memberIds());
	}

	static AuditEntry entry(Document d) {
		return new AuditEntry(d.getString("_id"), d.getDate("at").toInstant(), d.getString("operation"),
				d.getString("outcome"), d.getString("callerKind"), d.getString("subject"), d.getList("roles", String.class),
				d.getList("scopes", String.class), d.getList("callerPrograms", String.class), d.getString("programId"),
				d.getList("memberIds", String.class));
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::writeForever, "fidelis-audit");
		thread.setDaemon(true);
		writer = thread;
		thread.start();
	}

	/** Stops after writing what waits, so that no answered action goes unrecorded at shutdown. */
	@Override
	public void stop() {
		Thread thread = writer;
		writer = null;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(10_000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return writer != null;
	}

	/** Stopped after the web server (phase {@code MAX_VALUE - 2048}) stopped taking requests. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

	/**
	 * Removes the entries recorded before {@code cutoff}: ids begin with their time, so the older
	 * ones are those below the cutoff's id prefix. Answers how many went.
	 */
	/**
	 * Entries go once their {@code at} is {@code retention} old, removed by the store itself
	 * through a TTL index (MongoDB's monitor, the embedded store's sweep: every minute, by key);
	 * zero keeps them for ever. A different age on an existing index is changed in place.
	 */
	void keepFor(java.time.Duration retention) {
		MongoCollection<Document> entries = log();
		if (retention.isZero()) {
			if (entries.listIndexes().into(new java.util.ArrayList<>()).stream()
					.anyMatch(i -> RETENTION_INDEX.equals(i.getString("name")))) {
				entries.dropIndex(RETENTION_INDEX);
			}
			return;
		}
		long seconds = Math.max(1, retention.toSeconds());
		try {
			entries.createIndex(Indexes.ascending("at"),
					new IndexOptions().name(RETENTION_INDEX).expireAfter(seconds, java.util.concurrent.TimeUnit.SECONDS));
		}
		catch (com.mongodb.MongoCommandException e) {
			if (e.getErrorCode() != 85) { // IndexOptionsConflict: there with another age
				throw e;
			}
			factory.getMongoDatabase().runCommand(new Document("collMod", COLLECTION).append("index",
					new Document("name", RETENTION_INDEX).append("expireAfterSeconds", seconds)));
		}
	}

	/** Time-ordered and unique (48 random bits per millisecond): not a secret, so no secure random on the request path. */
	static String newId(Instant at) {
		// by hand: String.format cost 0.9 % of an earn's CPU
		String millis = Long.toString(at.toEpochMilli());
		String random = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
		StringBuilder id = new StringBuilder(26);
		id.append("0".repeat(Math.max(0, 13 - millis.length()))).append(millis).append('-');
		return id.append("0".repeat(12 - random.length())).append(random).toString();
	}
}
