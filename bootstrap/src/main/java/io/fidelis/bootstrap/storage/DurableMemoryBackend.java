package io.fidelis.bootstrap.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;

/**
 * The embedded store: mongo-java-server's engine with every collection held in memory, made
 * durable by a write-ahead log of document images with group commit, and checkpoints that keep
 * the log short so that start-up replays only its tail.
 *
 * <p>A command answers only once everything appended to the log before it finished is on disk:
 * its own changes, and any change it may have read or collided with (a duplicate key, say). So no
 * client, on this node or another, is ever told of a change that a crash could still take back.
 * On the embedded server's connections the reply waits ({@link DurableReplies}), not the I/O
 * thread; a connection without that gate (a plain {@code MongoServer} in tests) waits here.
 */
final class DurableMemoryBackend extends AbstractMongoBackend {

	private static final Logger log = LoggerFactory.getLogger(DurableMemoryBackend.class);
	/**
	 * Below this, a node under load spends a good part of its CPU collecting garbage: earns at 64
	 * callers took 7–12 % of a core in the collector with -Xmx512m against 2–3 % with the JVM's
	 * default, and 10–20 % more CPU each (docs/benchmarks/write-path.md, step 15).
	 */
	private static final long ROOMY_HEAP = 960L << 20; // -Xmx1g, less a survivor space some collectors keep out

	private final StoreFiles files;
	private final WriteAheadLog wal;
	private final long checkpointAfterBytes;
	private final Set<StoredCollection> collections = ConcurrentHashMap.newKeySet();
	private final Map<String, LongAdder> scans = new ConcurrentHashMap<>();
	private final Map<String, LongAdder> changes = new ConcurrentHashMap<>();
	private final Map<String, LongAdder> expired = new ConcurrentHashMap<>();
	private volatile ScheduledExecutorService expiry;
	/** Commands served, by database, collection ("" for the server's own commands) and command. */
	private final Map<String, Map<String, Map<String, LongAdder>>> commands = new ConcurrentHashMap<>();
	private volatile java.util.function.BiConsumer<String, CommandCount> onNewCommand;
	private final ScheduledExecutorService checkpoints;
	private final AtomicLong checkpointsWritten = new AtomicLong();
	private final Object checkpointLock = new Object();
	private volatile long lastCheckpointBytes;
	private volatile boolean recording;
	private volatile java.util.function.Consumer<String> onNewNamespace;
	private volatile long changesSinceCheckpoint;

	/** What the files held, by database and collection; only during start-up. */
	private Map<String, Map<String, Map<StoreRecord.Key, StoreRecord>>> restoring = new HashMap<>();

	private DurableMemoryBackend(StoreFiles files, long checkpointAfterBytes) throws IOException {
		this.files = files;
		this.checkpointAfterBytes = checkpointAfterBytes;
		if (files == null) {
			this.wal = null;
			this.checkpoints = null;
			this.restoring = null;
			this.recording = false;
			return;
		}
		long started = System.nanoTime();
		long next = replay();
		long documents = restoring.values().stream().flatMap(db -> db.values().stream()).mapToLong(Map::size).sum();
		for (String database : List.copyOf(restoring.keySet())) {
			resolveDatabase(database);
		}
		restoring = null;
		this.wal = new WriteAheadLog(files, next);
		this.recording = true;
		log.info("Embedded store opened from {} in {} ms: {} documents", files.dir(),
				(System.nanoTime() - started) / 1_000_000, documents);
		heapWarning(Runtime.getRuntime().maxMemory()).ifPresent(log::warn);
		this.checkpoints = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fidelis-store-checkpoint");
			t.setDaemon(true);
			return t;
		});
		this.checkpoints.scheduleWithFixedDelay(this::checkpointIfDue, 5, 5, TimeUnit.SECONDS);
	}

	/** What to tell the operator of a JVM that may use {@code maxHeapBytes}: nothing when that is roomy. */
	static java.util.Optional<String> heapWarning(long maxHeapBytes) {
		if (maxHeapBytes >= ROOMY_HEAP) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.of(("The embedded store holds its data in the Java heap, and this JVM may use at most "
				+ "%d MB: under load its garbage collector will take a good part of the CPU, more as the store grows. "
				+ "Give it at least 1 GB (java -Xmx2g -jar fidelis.jar; README, 'Storage')").formatted(maxHeapBytes >> 20));
	}

	/** Durable: data in memory, a log and checkpoints in {@code dir}. */
	static DurableMemoryBackend open(Path dir, long checkpointAfterBytes) {
		try {
			StoreFiles files = new StoreFiles(dir);
			if (files.isEmpty()) {
				LegacyH2Store.migrateIfPresent(dir.resolve("fidelis.mv"), files);
			}
			return new DurableMemoryBackend(files, checkpointAfterBytes);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot open the embedded store in " + dir, e);
		}
	}

	/** Nothing on disk (tests): the same engine, indexes and scan counts, without the log. */
	static DurableMemoryBackend inMemory() {
		try {
			return new DurableMemoryBackend(null, Long.MAX_VALUE);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Rebuilds the image of the data from the newest checkpoint and the log after it; answers the next segment's number. */
	private long replay() throws IOException {
		TreeMap<Long, Path> checkpointFiles = files.checkpoints();
		TreeMap<Long, Path> segments = files.segments();
		long base = 0;
		if (!checkpointFiles.isEmpty()) {
			base = checkpointFiles.lastKey();
			if (!files.readCheckpoint(checkpointFiles.lastEntry().getValue(), this::apply)) {
				throw new IOException(checkpointFiles.lastEntry().getValue() + " is incomplete; refusing to start");
			}
			lastCheckpointBytes = Files.size(checkpointFiles.lastEntry().getValue());
		}
		long replayed = 0;
		Map<Long, Path> tail = segments.tailMap(base, true);
		Long last = tail.isEmpty() ? null : segments.lastKey();
		for (Map.Entry<Long, Path> segment : tail.entrySet()) {
			replayed += files.readSegment(segment.getValue(), segment.getKey().equals(last), this::apply);
		}
		changesSinceCheckpoint = replayed;
		if (replayed > 0) {
			log.info("Replayed {} bytes of the store's log after {}", replayed,
					checkpointFiles.isEmpty() ? "no checkpoint" : checkpointFiles.lastEntry().getValue().getFileName());
		}
		long highest = Math.max(base, segments.isEmpty() ? 0 : segments.lastKey());
		return highest + 1;
	}

	private void apply(StoreRecord record) {
		switch (record.type()) {
			case StoreRecord.PUT -> restoring.computeIfAbsent(record.database(), d -> new HashMap<>())
					.computeIfAbsent(record.collection(), c -> new LinkedHashMap<>())
					.put(record.documentKey(), record);
			case StoreRecord.DELETE -> {
				Map<StoreRecord.Key, StoreRecord> collection = restoring.getOrDefault(record.database(), Map.of())
						.get(record.collection());
				if (collection != null) {
					collection.remove(record.documentKey());
				}
			}
			case StoreRecord.DROP -> {
				Map<String, Map<StoreRecord.Key, StoreRecord>> database = restoring.get(record.database());
				if (database != null) {
					database.remove(record.collection());
				}
			}
			case StoreRecord.RENAME -> {
				Map<String, Map<StoreRecord.Key, StoreRecord>> database = restoring.get(record.database());
				Map<StoreRecord.Key, StoreRecord> moved = database == null ? null : database.remove(record.collection());
				if (moved != null) {
					restoring.computeIfAbsent(record.toDatabase(), d -> new HashMap<>()).put(record.toCollection(), moved);
				}
			}
			default -> throw new IllegalStateException("Unknown record type " + record.type() + " in the store's files");
		}
	}

	@Override
	protected MongoDatabase openOrCreateDatabase(String databaseName) {
		Map<String, Map<StoreRecord.Key, StoreRecord>> saved = restoring == null ? null : restoring.get(databaseName);
		return new StoredDatabase(databaseName, getCursorRegistry(), this, saved);
	}

	@Override
	public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
		count(databaseName, command, query);
		if ("hello".equalsIgnoreCase(command)) {
			// what drivers and Spring ask first; the engine knows only the older name
			Document answer = super.handleCommand(channel, databaseName, "isMaster", query);
			answer.put("isWritablePrimary", Boolean.TRUE);
			return answer;
		}
		if (wal == null || "isMaster".equalsIgnoreCase(command)) {
			// the handshake holds no data: answered even by a store whose log failed, which then refuses the commands
			return super.handleCommand(channel, databaseName, command, query);
		}
		refuseIfLogFailed();
		if (channel != null && channel.pipeline().get(DurableReplies.class) != null) {
			return super.handleCommand(channel, databaseName, command, query); // the reply waits there, not this thread
		}
		try {
			return super.handleCommand(channel, databaseName, command, query);
		}
		finally {
			awaitDurable();
		}
	}

	/**
	 * A command from this node's own threads ({@link InProcessStore}), answered without waiting for
	 * the disk: the caller waits with {@link #awaitDurable()} before it uses the reply, outside
	 * whatever it holds, so that every caller waiting at a moment shares one sync.
	 */
	Document handleUnsynced(Channel channel, String databaseName, String command, Document query) {
		count(databaseName, command, query);
		if (wal != null) {
			refuseIfLogFailed();
		}
		return super.handleCommand(channel, databaseName, command, query);
	}

	/** Returns once everything logged so far is on disk; throws if the log failed. */
	void awaitDurable() {
		if (wal == null) {
			return;
		}
		try {
			wal.awaitDurable(wal.appended());
		}
		catch (UncheckedIOException e) {
			throw new MongoServerException(e.getMessage());
		}
	}

	private void refuseIfLogFailed() {
		try {
			wal.refuseIfFailed();
		}
		catch (UncheckedIOException e) {
			throw new MongoServerException(e.getMessage());
		}
	}

	// --- changes, called by collections under their own lock -------------------------------

	void opened(StoredCollection collection) {
		collections.add(collection);
	}

	void changed(StoredCollection collection, StoredCollection.Held document) {
		if (restoring == null) { // not while start-up loads the files
			collection.changes.increment();
		}
		if (recording) {
			wal.append(StoreRecord.putUnframed(collection.getDatabaseName(), collection.getCollectionName(), document.key(),
					document.document()));
		}
	}

	/** @param key the document's key as the log writes it ({@link StoreRecord#key}) */
	void removed(StoredCollection collection, byte[] key) {
		if (restoring == null) {
			collection.changes.increment();
		}
		if (recording) {
			wal.append(StoreRecord.delete(collection.getDatabaseName(), collection.getCollectionName(), key));
		}
	}

	void dropped(StoredCollection collection) {
		collections.remove(collection);
		if (recording) {
			wal.append(StoreRecord.drop(collection.getDatabaseName(), collection.getCollectionName()));
		}
	}

	void renamed(StoredCollection collection, String fromDatabase, String fromCollection) {
		if (recording) {
			wal.append(StoreRecord.rename(fromDatabase, fromCollection, collection.getDatabaseName(),
					collection.getCollectionName()));
		}
	}

	LongAdder scansOf(String namespace) {
		return scans.computeIfAbsent(namespace, n -> {
			java.util.function.Consumer<String> listener = onNewNamespace;
			if (listener != null) {
				listener.accept(n);
			}
			return new LongAdder();
		});
	}

	/**
	 * Counts a command by what it names: reads cost as much as writes on a large document. Looked up
	 * by the strings the command arrived with (no key is built per command); names are kept in lower
	 * case, as drivers differ ({@code isMaster}, {@code ismaster}).
	 */
	private void count(String databaseName, String command, Document query) {
		String collection = query.get(command) instanceof String named ? named : "";
		String name = command.toLowerCase(java.util.Locale.ROOT); // the same string when already lower case
		// server commands (hello, ping, ...) are counted once, whichever database they were sent to
		Map<String, LongAdder> byCommand = commands.computeIfAbsent(collection.isEmpty() ? "" : databaseName,
				d -> new ConcurrentHashMap<>())
				.computeIfAbsent(collection, c -> new ConcurrentHashMap<>());
		LongAdder counter = byCommand.get(name);
		if (counter == null) {
			// a bounded set: the commands a driver sends, times the collections the application has
			LongAdder fresh = new LongAdder();
			counter = byCommand.putIfAbsent(name, fresh);
			if (counter == null) {
				counter = fresh;
				java.util.function.BiConsumer<String, CommandCount> listener = onNewCommand;
				if (listener != null) {
					listener.accept(collection.isEmpty() ? "" : databaseName + "." + collection,
							new CommandCount(name, fresh));
				}
			}
		}
		counter.increment();
	}

	/** @param name the command's name in lower case ({@code find}, {@code findandmodify}, ...) */
	record CommandCount(String name, LongAdder served) {
	}

	/** Tells {@code listener} of every (namespace, command) served so far and of each new one. */
	void onNewCommand(java.util.function.BiConsumer<String, CommandCount> listener) {
		this.onNewCommand = listener;
		commands.forEach((database, collections) -> collections.forEach((collection, byCommand) -> byCommand
				.forEach((command, served) -> listener.accept(collection.isEmpty() ? "" : database + "." + collection,
						new CommandCount(command, served)))));
	}

	/** Tells {@code listener} of every collection known now and of each one opened later. */
	void onNewNamespace(java.util.function.Consumer<String> listener) {
		this.onNewNamespace = listener;
		List.copyOf(scans.keySet()).forEach(listener);
	}

	/** Documents written or removed in a namespace since start (replay not counted); each collection holds its own. */
	LongAdder changesOf(String namespace) {
		return changes.computeIfAbsent(namespace, n -> new LongAdder());
	}

	/** Documents removed by TTL indexes in a namespace since start. */
	LongAdder expiredOf(String namespace) {
		return expired.computeIfAbsent(namespace, n -> new LongAdder());
	}

	/**
	 * Sweeps expired documents every {@code every} (MongoDB's TTL monitor runs every 60 s), on a
	 * thread of its own so that neither checkpoints nor commands wait for it.
	 */
	void expireEvery(java.time.Duration every) {
		ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fidelis-store-expiry");
			t.setDaemon(true);
			return t;
		});
		sweeper.scheduleWithFixedDelay(() -> {
			try {
				expireDue(System.currentTimeMillis());
			}
			catch (RuntimeException e) {
				log.warn("Expiring documents failed; the next sweep tries again: {}", e.toString());
			}
		}, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
		this.expiry = sweeper;
	}

	/**
	 * Removes every document its TTL index says has expired at {@code now}, a few thousand at a
	 * time so that a collection's writers wait for one slice, never for the whole sweep. Answers
	 * how many were removed. Removals are logged like any; one lost in a crash is made again by
	 * the next sweep.
	 */
	long expireDue(long now) {
		long total = 0;
		for (StoredCollection collection : collections) {
			int removed;
			do {
				removed = collection.expire(now, 2_000);
				total += removed;
				if (removed > 0) {
					expiredOf(collection.databaseName() + "." + collection.collectionName()).add(removed);
				}
			}
			while (removed == 2_000);
		}
		return total;
	}

	/** Queries answered by reading a whole collection, by namespace, since start. */
	Map<String, Long> scans() {
		Map<String, Long> counts = new TreeMap<>();
		scans.forEach((namespace, count) -> counts.put(namespace, count.sum()));
		return counts;
	}

	boolean isDurable() {
		return wal != null;
	}

	WriteAheadLog log() {
		return wal;
	}

	long checkpointsWritten() {
		return checkpointsWritten.get();
	}

	long bytesOnDisk() {
		try {
			return files == null ? 0 : files.bytesOnDisk();
		}
		catch (IOException e) {
			return -1;
		}
	}

	// --- checkpoints ---------------------------------------------------------------------------

	private void checkpointIfDue() {
		try {
			long logged = changesSinceCheckpoint + wal.segmentBytes();
			// a checkpoint rewrites all data, so wait until the log is at least as large as the data
			if (logged > Math.max(checkpointAfterBytes, lastCheckpointBytes)) {
				checkpoint();
			}
		}
		catch (RuntimeException | IOException e) {
			log.warn("Could not write a checkpoint of the embedded store (will try again): {}", e.toString());
		}
	}

	/**
	 * Writes every document to a new checkpoint while writers go on, then deletes the log that it
	 * replaces. Collections are read in slices under their lock, so the checkpoint is fuzzy: a
	 * document may be newer than the checkpoint's segment began. Replaying that segment on top
	 * sets each document to its latest image again, so the result is exact.
	 */
	void checkpoint() throws IOException {
		synchronized (checkpointLock) {
			writeCheckpoint();
		}
	}

	private void writeCheckpoint() throws IOException {
		long started = System.nanoTime();
		long segment = wal.startNewSegment().join();
		long documents;
		long bytes;
		try (StoreFiles.CheckpointWriter checkpoint = files.createCheckpoint(segment)) {
			for (StoredCollection collection : List.copyOf(collections)) {
				String database = collection.databaseName();
				String name = collection.collectionName();
				int position = 0;
				while (position >= 0) {
					position = collection.export(position, 2_000, held -> checkpoint.put(database, name, held.key(),
							held.document()));
					checkpoint.flush();
				}
			}
			documents = checkpoint.documents();
			bytes = checkpoint.publish();
		}
		lastCheckpointBytes = bytes;
		changesSinceCheckpoint = 0;
		checkpointsWritten.incrementAndGet();
		log.info("Embedded store checkpoint {}: {} documents, {} MB in {} ms", segment, documents, bytes >> 20,
				(System.nanoTime() - started) / 1_000_000);
	}

	/** Called by the server once its I/O threads have stopped: a last checkpoint makes the next start quick. */
	@Override
	public void close() {
		if (expiry != null) {
			expiry.shutdownNow();
		}
		if (wal != null) {
			checkpoints.shutdownNow();
			try {
				wal.refuseIfFailed();
				if (changesSinceCheckpoint + wal.segmentBytes() > 0) {
					checkpoint();
				}
			}
			catch (IOException | RuntimeException e) {
				log.warn("No checkpoint at shutdown ({}); the log will be replayed at the next start", e.toString());
			}
			wal.close();
		}
		super.close();
	}
}
