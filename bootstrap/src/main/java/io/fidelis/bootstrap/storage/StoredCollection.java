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
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;

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

	private final List<Held> documents = new ArrayList<>();
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
		return position;
	}

	@Override
	protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
		Held old = documents.get(position);
		Object newKey = keyOf(newDocument);
		boolean sameKey = Objects.equals(keyOf(oldDocument), newKey);
		Held held = new Held(sameKey ? old.key() : StoreRecord.key(newKey), StoreRecord.bson(newDocument));
		if (!sameKey) {
			store.removed(this, old.key());
		}
		documents.set(position, held);
		store.changed(this, held);
	}

	@Override
	protected void removeDocument(Integer position) {
		Held held = documents.get(position);
		documents.set(position, null);
		free.add(position);
		store.removed(this, held.key());
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
