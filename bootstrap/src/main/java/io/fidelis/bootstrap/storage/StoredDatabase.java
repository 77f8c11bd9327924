package io.fidelis.bootstrap.storage;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;

/**
 * A database of the embedded store. Opened at start-up with what the files held, it puts each
 * collection's documents back before the server rebuilds the indexes from them.
 */
final class StoredDatabase extends AbstractSynchronizedMongoDatabase<Integer> {

	private final DurableMemoryBackend store;
	/** What the files held for this database, by collection; only while it opens. */
	private Map<String, Map<StoreRecord.Key, StoreRecord>> restoring;

	StoredDatabase(String name, CursorRegistry cursors, DurableMemoryBackend store,
			Map<String, Map<StoreRecord.Key, StoreRecord>> restoring) {
		super(name, cursors);
		this.store = store;
		this.restoring = restoring;
		initializeNamespacesAndIndexes();
		this.restoring = null;
		// TTL indexes found in the files: the server opens indexes without telling their options
		MongoCollection<Integer> descriptions = indexes.get();
		if (descriptions != null) {
			for (Document description : descriptions.queryAll()) {
				expireAfter(description);
			}
		}
	}

	/**
	 * As the server's, and a TTL index ({@code expireAfterSeconds}) makes its collection expire
	 * documents. Created again with another {@code expireAfterSeconds}, it takes the new one, as
	 * MongoDB's {@code collMod} would: the description kept for the next start is replaced.
	 */
	@Override
	protected void addIndex(Document description) {
		StoredCollection.Expiry wanted = expiryOf(description);
		if (wanted != null && resolveCollection(collectionOf(description), false) instanceof StoredCollection collection
				&& wanted.equals(collection.expiry())) {
			super.addIndex(description); // the same at every start: nothing to rewrite, no document to read again
			return;
		}
		if (description.get("expireAfterSeconds") != null) {
			getOrCreateIndexesCollection().deleteDocuments(new Document("ns", description.get("ns"))
					.append("name", description.get("name")), 0, NoopOplog.get());
		}
		super.addIndex(description);
		expireAfter(description);
	}

	private void expireAfter(Document description) {
		StoredCollection.Expiry expiry = expiryOf(description);
		if (expiry != null && resolveCollection(collectionOf(description), false) instanceof StoredCollection collection) {
			collection.expireAfter(expiry);
		}
	}

	/** The TTL index a description makes (one date field and an age), or null. */
	private static StoredCollection.Expiry expiryOf(Document description) {
		if (!(description.get("expireAfterSeconds") instanceof Number seconds)
				|| !(description.get("key") instanceof Document key) || key.size() != 1) {
			return null;
		}
		return new StoredCollection.Expiry((String) description.get("name"), key.keySet().iterator().next(),
				seconds.longValue() * 1000);
	}

	private String collectionOf(Document description) {
		return String.valueOf(description.get("ns")).substring(getDatabaseName().length() + 1);
	}

	@Override
	protected StoredCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
		StoredCollection collection = new StoredCollection(this, collectionName, options, cursorRegistry, store);
		Map<StoreRecord.Key, StoreRecord> saved = restoring == null ? null : restoring.remove(collectionName);
		if (saved != null) {
			saved.values().forEach(record -> collection.restore(record.key(), record.document()));
		}
		store.opened(collection);
		return collection;
	}

	@Override
	protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
			boolean sparse) {
		return new StoredUniqueIndex(indexName, keys, sparse);
	}

	@Override
	protected long getStorageSize() {
		return 0;
	}

	@Override
	protected long getFileSize() {
		return 0;
	}
}
