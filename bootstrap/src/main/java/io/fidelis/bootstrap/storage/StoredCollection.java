package io.fidelis.bootstrap.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoCollection;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * A collection of the embedded store, held in memory. Every change is handed to the store's log
 * while the collection's lock is held, so the log sees the changes to one document in the order
 * they were made. Queries that no unique index answers are counted as scans.
 *
 * <p>Documents are held as the BSON the log and checkpoints write, not as the server's maps: a
 * document as maps took about five times its BSON size on the heap, so a store that grows with
 * every earn (claims, activities, audit entries) filled the heap and the collector ran without
 * pause. Reading a document decodes it, so the server only ever changes a copy, and hands the
 * changed copy back through {@link #handleUpdate}; the encoding made there serves the log, the
 * memory and later checkpoints alike.
 */
final class StoredCollection extends AbstractSynchronizedMongoCollection<Integer> {

	/** Which queries were answered by scanning: {@code logging.level.io.fidelis.store.scans=DEBUG}. */
	private static final org.slf4j.Logger SCANS = org.slf4j.LoggerFactory.getLogger("io.fidelis.store.scans");

	/**
	 * A document as the store holds it.
	 *
	 * @param key      its key as the log writes it ({@code {k: id}} as BSON)
	 * @param document the document as BSON
	 */
	record Held(byte[] key, byte[] document) {
		Document decode() {
			return StoreRecord.decode(document);
		}
	}

	/**
	 * A TTL index: documents whose date in {@code field} is {@code millis} old are removed by
	 * {@link #expire}, as MongoDB does.
	 */
	record Expiry(String index, String field, long millis) {
	}

	private final List<Held> documents = new ArrayList<>();
	/**
	 * Positions by the minute their document may expire, so that the sweep finds them by key, not
	 * by reading every document. An entry is a hint, read again when due: a position reused or a
	 * date changed since is only passed over (the document's own entry stays where it belongs).
	 */
	private final java.util.TreeMap<Long, IntList> dueByMinute = new java.util.TreeMap<>();
	private Expiry expiry;
	private final ArrayDeque<Integer> free = new ArrayDeque<>();
	private final DurableMemoryBackend store;
	private final LongAdder scans;
	/** Documents written or removed, counted by the store (it knows when a change is a replay). */
	final LongAdder changes;

	StoredCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors,
			DurableMemoryBackend store) {
		super(database, name, options, cursors);
		this.store = store;
		this.scans = store.scansOf(database.getDatabaseName() + "." + name);
		this.changes = store.changesOf(database.getDatabaseName() + "." + name);
	}

	/** Puts back a document found in the files at start-up, as written there; indexes are built from them afterwards. */
	void restore(byte[] key, byte[] document) {
		documents.add(new Held(key, document));
	}

	/** The key the log knows a document by: its id, or for index descriptions their namespace and name. */
	Object keyOf(Document document) {
		return StoreRecord.keyOf(getIdField(), document);
	}

	@Override
	protected Integer addDocumentInternal(Document document) {
		Held held = new Held(StoreRecord.key(keyOf(document)), StoreRecord.bson(document));
		Integer position = free.poll();
		if (position == null) {
			position = documents.size();
			documents.add(held);
		}
		else {
			documents.set(position, held);
		}
		store.changed(this, held);
		noteExpiry(document, position);
		return position;
	}

	@Override
	protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
		replace(position, oldDocument, newDocument, StoreRecord.bson(newDocument));
	}

	private void replace(int position, Document oldDocument, Document newDocument, byte[] bson) {
		Held old = documents.get(position);
		Object newKey = keyOf(newDocument);
		boolean sameKey = Objects.equals(keyOf(oldDocument), newKey);
		Held held = new Held(sameKey ? old.key() : StoreRecord.key(newKey), bson);
		if (!sameKey) {
			store.removed(this, old.key());
		}
		documents.set(position, held);
		store.changed(this, held);
		if (expiresAt(newDocument) != expiresAt(oldDocument)) { // the position's hint stands while its date does
			noteExpiry(newDocument, position);
		}
	}

	/**
	 * The server's own update computation ({@code calculateUpdateDocument}: every operator, its
	 * checks and errors), reached past its {@code private}; null if this version of the server
	 * has none, and then every update goes the server's whole way.
	 */
	private static final java.lang.invoke.MethodHandle CALCULATE = serverMethod("calculateUpdateDocument",
			java.lang.invoke.MethodType.methodType(Document.class, Document.class, Document.class, ArrayFilters.class,
					Integer.class, boolean.class));

	/** The two halves of that computation: its check that no two operators touch one path, and one operator applied. */
	private static final java.lang.invoke.MethodHandle VALIDATE = serverStatic("validateUpdateQuery",
			java.lang.invoke.MethodType.methodType(void.class, Document.class));

	private static final java.lang.invoke.MethodHandle MODIFY = serverMethod("modifyField",
			java.lang.invoke.MethodType.methodType(void.class, Document.class, String.class, Document.class,
					ArrayFilters.class, Integer.class, boolean.class));

	/**
	 * Operators that change only the fields their paths name. {@code $rename} names a second field
	 * in its value, so it goes the server's way.
	 */
	private static final java.util.Set<String> IN_PLACE = java.util.Set.of("$set", "$unset", "$inc", "$mul", "$min", "$max",
			"$currentDate", "$setOnInsert", "$push", "$pull", "$pullAll", "$addToSet", "$pop", "$bit");

	private static java.lang.invoke.MethodHandle serverMethod(String name, java.lang.invoke.MethodType type) {
		return server(name, type, false);
	}

	private static java.lang.invoke.MethodHandle serverStatic(String name, java.lang.invoke.MethodType type) {
		return server(name, type, true);
	}

	private static java.lang.invoke.MethodHandle server(String name, java.lang.invoke.MethodType type, boolean isStatic) {
		try {
			var lookup = java.lang.invoke.MethodHandles.privateLookupIn(AbstractMongoCollection.class,
					java.lang.invoke.MethodHandles.lookup());
			return isStatic ? lookup.findStatic(AbstractMongoCollection.class, name, type)
					: lookup.findVirtual(AbstractMongoCollection.class, name, type);
		}
		catch (ReflectiveOperationException | RuntimeException e) {
			return null;
		}
	}

	/**
	 * An update of one document named by exactly the fields of a unique index, with plain values
	 * (how the ledger writes an account: {@code {_id, version}}), found through that index alone.
	 * The server's way around the same computation cost a fifth of the store's CPU under earns:
	 * it queried and matched, cloned the document twice, compared old and new in depth (twice),
	 * looked the position up in every index and copied the fields back one by one. Here the
	 * decoded document is already a private copy, and old and new are compared by their BSON,
	 * which the store needs anyway. Anything else (several documents, array filters, positional
	 * paths, an upsert that finds nothing) goes the server's way.
	 *
	 * <p>When every operator changes only the fields it names, they are applied to that copy in
	 * place, as the server applies them to its clone; what is kept of the old document is only
	 * what the indexes, the log's key and the expiry read, and an index none of whose fields the
	 * update names is left alone (its key cannot have changed). Under earns the deep clone and the
	 * key comparisons of untouched indexes were a third of this method's time.
	 */
	@Override
	public synchronized Document updateDocuments(Document selector, Document update, ArrayFilters arrayFilters,
			boolean isMulti, boolean isUpsert, Oplog oplog) {
		Integer position = isMulti || CALCULATE == null || (arrayFilters != null && !arrayFilters.isEmpty())
				|| hasPositionalPath(update) ? null : exactPosition(selector);
		if (position == null) {
			return super.updateDocuments(selector, update, arrayFilters, isMulti, isUpsert, oplog);
		}
		Held held = documents.get(position);
		Document document = held.decode();
		java.util.Set<String> touched = touchedFields(update);
		Document before;
		Document updated;
		List<Index<Integer>> changing;
		if (touched != null && idComesFirst(document)) {
			changing = new ArrayList<>(2);
			for (Index<Integer> index : getIndexes()) {
				if (touches(index, touched)) {
					changing.add(index);
				}
			}
			before = kept(document, changing);
			updated = applyInPlace(document, update, arrayFilters);
		}
		else {
			changing = getIndexes();
			before = document;
			updated = invoke(() -> (Document) CALCULATE.invokeExact((AbstractMongoCollection<?>) this, document, update,
					arrayFilters, (Integer) null, false));
		}
		byte[] bson = StoreRecord.bson(updated);
		boolean modified = !java.util.Arrays.equals(bson, held.document());
		if (modified) {
			for (Index<Integer> index : changing) {
				index.checkUpdate(before, updated, this);
			}
			for (Index<Integer> index : changing) {
				index.updateInPlace(before, updated, position, this);
			}
			replace(position, before, updated, bson);
		}
		oplog.handleUpdate(getFullName(), selector, update,
				modified ? List.of(before.get(getIdField())) : List.of());
		return new Document("n", 1).append("nModified", modified ? 1 : 0);
	}

	/** What {@code calculateUpdateDocument} does with a copy, done to {@code document} itself. */
	private Document applyInPlace(Document document, Document update, ArrayFilters arrayFilters) {
		invoke(() -> {
			VALIDATE.invokeExact(update);
			return null;
		});
		for (String operator : update.keySet()) {
			invoke(() -> {
				MODIFY.invokeExact((AbstractMongoCollection<?>) this, document, operator, update, arrayFilters,
						(Integer) null, false);
				return null;
			});
		}
		de.bwaldvogel.mongo.backend.Utils.validateFieldNames(document);
		return document;
	}

	private interface Call {
		Object call() throws Throwable;
	}

	private static <T> T invoke(Call call) {
		try {
			@SuppressWarnings("unchecked")
			T result = (T) call.call();
			return result;
		}
		catch (RuntimeException | Error e) {
			throw e;
		}
		catch (Throwable e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * The top-level fields an update's operators name, or null when it cannot be applied in place
	 * (an operator outside {@link #IN_PLACE}, a replacement document, or the server's halves missing).
	 */
	static java.util.Set<String> touchedFields(Document update) {
		if (VALIDATE == null || MODIFY == null || update.isEmpty()) {
			return null;
		}
		java.util.Set<String> fields = new java.util.HashSet<>();
		for (var change : update.entrySet()) {
			if (!IN_PLACE.contains(change.getKey()) || !(change.getValue() instanceof Document paths)) {
				return null;
			}
			for (String path : paths.keySet()) {
				int dot = path.indexOf('.');
				fields.add(dot < 0 ? path : path.substring(0, dot));
			}
		}
		return fields;
	}

	/** The server's copy puts the id first; in place keeps the stored order, so only then are the two alike. */
	private boolean idComesFirst(Document document) {
		String id = getIdField();
		return id != null && !document.isEmpty() && id.equals(document.keySet().iterator().next());
	}

	private static boolean touches(Index<Integer> index, java.util.Set<String> touched) {
		for (var key : index.getKeys()) {
			String path = key.getKey();
			int dot = path.indexOf('.');
			if (touched.contains(dot < 0 ? path : path.substring(0, dot))) {
				return true;
			}
		}
		return false;
	}

	/** A copy of the fields of {@code document} that the changing indexes, the log's key and the expiry read. */
	private Document kept(Document document, List<Index<Integer>> changing) {
		Document kept = new Document();
		keep(document, getIdField(), kept);
		if (expiry != null) {
			keep(document, expiry.field(), kept);
		}
		for (Index<Integer> index : changing) {
			for (var key : index.getKeys()) {
				keep(document, key.getKey(), kept);
			}
		}
		return kept;
	}

	private static void keep(Document document, String path, Document kept) {
		int dot = path.indexOf('.');
		String field = dot < 0 ? path : path.substring(0, dot);
		if (document.containsKey(field) && !kept.containsKey(field)) {
			kept.put(field, new Document("v", document.get(field)).cloneDeeply().get("v"));
		}
	}

	/** Where the document named by exactly a unique index's fields lies, or null (none such, or not that kind of selector). */
	private Integer exactPosition(Document selector) {
		for (Object value : selector.values()) {
			if (value == null || value instanceof Document || value instanceof java.util.Collection<?>
					|| value instanceof java.util.regex.Pattern || value instanceof de.bwaldvogel.mongo.bson.BsonRegularExpression) {
				return null;
			}
		}
		for (Index<Integer> index : getIndexes()) {
			if (index instanceof StoredUniqueIndex unique && unique.isExactly(selector.keySet())) {
				return index.getPosition(selector);
			}
		}
		return null;
	}

	/** A {@code $} or {@code $[...]} path: its meaning depends on the query's match, which only the server's way computes. */
	private static boolean hasPositionalPath(Document update) {
		for (Object change : update.values()) {
			if (change instanceof Document fields) {
				for (String path : fields.keySet()) {
					if (path.contains("$")) {
						return true;
					}
				}
			}
		}
		return false;
	}

	@Override
	protected void removeDocument(Integer position) {
		Held held = documents.get(position);
		documents.set(position, null);
		free.add(position);
		store.removed(this, held.key());
	}

	// --- expiry (TTL indexes) ------------------------------------------------------------------

	/** Small list of positions: an expiring collection holds one per document. */
	private static final class IntList {
		int[] items = new int[8];
		int size;

		void add(int item) {
			if (size == items.length) {
				items = java.util.Arrays.copyOf(items, size * 2);
			}
			items[size++] = item;
		}
	}

	/** Documents are removed {@code millis} after the date in {@code field}; null ends expiry. Notes every document held. */
	synchronized void expireAfter(Expiry expiry) {
		this.expiry = expiry;
		dueByMinute.clear();
		if (expiry != null) {
			for (int i = 0; i < documents.size(); i++) {
				if (documents.get(i) != null) {
					noteExpiry(documents.get(i).decode(), i);
				}
			}
		}
	}

	/** The TTL index it keeps, or null. */
	synchronized Expiry expiry() {
		return expiry;
	}

	private void noteExpiry(Document document, int position) {
		long at = expiresAt(document);
		if (at != Long.MAX_VALUE) {
			dueByMinute.computeIfAbsent(Math.floorDiv(at, 60_000L), m -> new IntList()).add(position);
		}
	}

	/** When the document expires; {@code Long.MAX_VALUE}: never (no expiry, or no date in the field, as MongoDB). */
	private long expiresAt(Document document) {
		if (expiry == null || !(document.get(expiry.field()) instanceof java.time.Instant date)) {
			return Long.MAX_VALUE; // the server reads BSON dates as instants
		}
		return date.toEpochMilli() + expiry.millis();
	}

	/**
	 * Removes documents expired at {@code now}, at most {@code max}, through the log like any
	 * removal. Answers how many it removed; the caller calls again while that is {@code max}.
	 */
	synchronized int expire(long now, int max) {
		if (expiry == null) {
			return 0;
		}
		int removed = 0;
		while (removed < max && !dueByMinute.isEmpty() && dueByMinute.firstKey() <= Math.floorDiv(now, 60_000L)) {
			var minute = dueByMinute.firstEntry();
			IntList positions = minute.getValue();
			IntList later = new IntList(); // due later in this very minute: kept for the next sweep
			while (positions.size > 0 && removed < max) {
				int position = positions.items[--positions.size];
				Held held = position < documents.size() ? documents.get(position) : null;
				if (held == null) {
					continue;
				}
				Document document = held.decode();
				long at = expiresAt(document);
				if (at <= now) {
					removeDocument(document);
					removed++;
				}
				else if (Math.floorDiv(at, 60_000L) == minute.getKey()) {
					later.add(position);
				}
			}
			for (int i = 0; i < later.size; i++) {
				positions.add(later.items[i]);
			}
			if (positions.size == 0) {
				dueByMinute.remove(minute.getKey());
			}
			else {
				return removed; // this minute is not over (or the slice is full): nothing after it is due
			}
		}
		return removed;
	}

	@Override
	public synchronized void dropIndex(String indexName) {
		super.dropIndex(indexName);
		if (expiry != null && expiry.index().equals(indexName)) {
			expireAfter(null);
		}
	}

	@Override
	public synchronized void drop() {
		super.drop();
		store.dropped(this);
	}

	@Override
	public synchronized void renameTo(MongoDatabase newDatabase, String newCollectionName) {
		String fromDatabase = getDatabaseName();
		String fromCollection = getCollectionName();
		super.renameTo(newDatabase, newCollectionName);
		store.renamed(this, fromDatabase, fromCollection);
	}

	@Override
	protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
			Document fieldSelector) {
		scans.increment();
		if (SCANS.isDebugEnabled()) {
			SCANS.debug("{}.{} scanned for {} (sort {}, limit {})", getDatabaseName(), getCollectionName(), query, orderBy,
					limit);
		}
		List<Document> all = new ArrayList<>(documents.size());
		for (Held d : documents) {
			if (d != null) {
				all.add(d.decode());
			}
		}
		if (isNaturalDescending(orderBy)) {
			Collections.reverse(all);
		}
		return matchDocumentsFromStream(all.stream(), query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
	}

	/**
	 * A query for a list of ids ({@code {_id: {$in: [...]}}}, how listeners read a batch) is
	 * answered by the id index exactly, one lookup per id: the server's own way then matched
	 * every document found against the whole list again, n × n comparisons for n ids.
	 */
	@Override
	protected QueryResult matchDocuments(Document query, Iterable<Integer> positions, Document orderBy, int numberToSkip,
			int limit, int batchSize, Document fieldSelector) {
		if (!isListOfIds(query, getIdField())) {
			return super.matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
		}
		List<Document> found = new ArrayList<>();
		for (Integer position : positions) {
			Held held = documents.get(position);
			if (held != null) {
				found.add(held.decode());
			}
		}
		return matchDocumentsFromStream(found.stream(), new Document(), orderBy, numberToSkip, limit, batchSize,
				fieldSelector);
	}

	/**
	 * {@code {_id: {$in: [...]}}} and nothing else, every id a string, UUID or object id: values
	 * the id index finds exactly as the query matcher would.
	 */
	static boolean isListOfIds(Document query, String idField) {
		if (idField == null || query.size() != 1 || !(query.get(idField) instanceof Document expression) || expression.size() != 1
				|| !(expression.get("$in") instanceof java.util.Collection<?> ids)) {
			return false;
		}
		for (Object id : ids) {
			if (!(id instanceof String || id instanceof java.util.UUID || id instanceof de.bwaldvogel.mongo.bson.ObjectId)) {
				return false;
			}
		}
		return true;
	}

	@Override
	protected Stream<DocumentWithPosition<Integer>> streamAllDocumentsWithPosition() {
		return IntStream.range(0, documents.size()).filter(i -> documents.get(i) != null)
				.mapToObj(i -> new DocumentWithPosition<>(documents.get(i).decode(), i));
	}

	@Override
	protected Document getDocument(Integer position) {
		return documents.get(position).decode();
	}

	@Override
	public synchronized int count() {
		return documents.size() - free.size();
	}

	@Override
	public synchronized boolean isEmpty() {
		return count() == 0;
	}

	// Sizes would cost a BSON encoding of every document on every write; the store reports none.
	@Override
	protected boolean tracksDataSize() {
		return false;
	}

	@Override
	protected void updateDataSize(int sizeDelta) {
	}

	@Override
	protected int getDataSize() {
		return 0;
	}

	/**
	 * Hands the documents from position {@code from} on, at most {@code max} of them, to
	 * {@code each} under the collection's lock, so that a checkpoint can read a large collection
	 * without stopping its writers for long. Answers the position to go on from, or -1 at the end.
	 */
	synchronized int export(int from, int max, java.util.function.Consumer<Held> each) {
		int i = from;
		for (int taken = 0; i < documents.size() && taken < max; i++) {
			Held d = documents.get(i);
			if (d != null) {
				each.accept(d);
				taken++;
			}
		}
		return i < documents.size() ? i : -1;
	}

	synchronized String databaseName() {
		return getDatabaseName();
	}

	synchronized String collectionName() {
		return getCollectionName();
	}
}
