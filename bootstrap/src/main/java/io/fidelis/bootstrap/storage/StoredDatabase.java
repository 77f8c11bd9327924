package io.fidelis.bootstrap.storage;

import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;

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
