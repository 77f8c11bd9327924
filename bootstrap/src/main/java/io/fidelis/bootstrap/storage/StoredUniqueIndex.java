package io.fidelis.bootstrap.storage;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;

/**
 * The server's unique index, with a short way to a document's key when the index names plain
 * fields (no paths) holding plain values (strings, numbers, booleans, ids, dates). The server's
 * own way splits each field's path, walks it and builds the key through streams and maps, for
 * every unique index on every insert and update: in an import, a sixth of the store's CPU and a
 * fifth of what it allocated. Anything else (a missing field, null, an array, a sub-document)
 * goes the server's way, and the short way gives the same key as the server's (a test compares
 * them).
 */
final class StoredUniqueIndex extends MemoryUniqueIndex {

	private static final Object NOT_PLAIN = new Object();

	/** The fields, when none is a path; null otherwise. */
	private final String[] fields;

	StoredUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
		super(name, keys, sparse);
		this.fields = keys.stream().anyMatch(k -> k.getKey().contains(".") || k.getKey().startsWith("$")) ? null
				: keys.stream().map(IndexKey::getKey).toArray(String[]::new);
	}

	/** Whether the index names exactly these fields, none a path. */
	boolean isExactly(Set<String> selected) {
		if (fields == null || selected.size() != fields.length) {
			return false;
		}
		for (String field : fields) {
			if (!selected.contains(field)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public Set<KeyValue> getKeyValues(Document document) {
		KeyValue key = plainKey(document);
		return key == null ? super.getKeyValues(document) : Collections.singleton(key);
	}

	/** The document's key the short way, or null when only the server's way knows it. */
	private KeyValue plainKey(Document document) {
		if (fields == null) {
			return null;
		}
		Object[] values = new Object[fields.length];
		for (int i = 0; i < fields.length; i++) {
			Object value = plain(document.get(fields[i]));
			if (value == NOT_PLAIN) {
				return null;
			}
			values[i] = value;
		}
		return new KeyValue(values);
	}

	/** The key as the document holds it, for a duplicate key's message (the server names it so). */
	private KeyValue heldKey(Document document) {
		Object[] values = new Object[fields.length];
		for (int i = 0; i < fields.length; i++) {
			values[i] = document.get(fields[i]);
		}
		return new KeyValue(values);
	}

	// The server's checks and changes below read the key again by its general way (paths split by
	// a regular expression, values gathered through streams and maps) two to four times per
	// write; with a plain key each is one lookup. A plain key has every field present, so the
	// sparse exemptions cannot apply.

	@Override
	public synchronized void checkAdd(Document document, MongoCollection<Integer> collection) {
		KeyValue key = plainKey(document);
		if (key == null) {
			super.checkAdd(document, collection);
		}
		else {
			refuseIfTaken(key, document, collection);
		}
	}

	@Override
	public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
		KeyValue key = plainKey(document);
		if (key == null) {
			super.add(document, position, collection);
		}
		else {
			put(key, document, position, collection);
		}
	}

	private void put(KeyValue key, Document document, Integer position, MongoCollection<Integer> collection) {
		refuseIfTaken(key, document, collection);
		putKeyPosition(key, position);
	}

	private void refuseIfTaken(KeyValue key, Document document, MongoCollection<Integer> collection) {
		if (getPosition(key) != null) {
			throw new DuplicateKeyError(this, collection, getKeys(), heldKey(document));
		}
	}

	@Override
	public synchronized void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {
		KeyValue oldKey = plainKey(oldDocument);
		KeyValue newKey = plainKey(newDocument);
		if (oldKey == null || newKey == null) {
			super.checkUpdate(oldDocument, newDocument, collection);
			return;
		}
		if (oldKey.equals(newKey)) {
			return;
		}
		Integer position = getPosition(newKey);
		if (position != null && !position.equals(getPosition(oldKey))) {
			throw new DuplicateKeyError(this, collection, getKeys(), heldKey(newDocument));
		}
	}

	@Override
	public void updateInPlace(Document oldDocument, Document newDocument, Integer position,
			MongoCollection<Integer> collection) {
		KeyValue oldKey = plainKey(oldDocument);
		KeyValue newKey = plainKey(newDocument);
		if (oldKey == null || newKey == null) {
			super.updateInPlace(oldDocument, newDocument, position, collection);
			return;
		}
		if (!oldKey.equals(newKey)) {
			synchronized (this) {
				Integer removed = removeDocument(oldKey);
				if (removed != null && !removed.equals(position)) {
					throw new IllegalStateException("Key " + oldKey + " was at " + removed + ", not " + position);
				}
				put(newKey, newDocument, position, collection);
			}
		}
	}

	/** The value as the server normalises it for a key (numbers compare as doubles unless a long would lose digits). */
	private static Object plain(Object value) {
		if (value instanceof String || value instanceof Boolean || value instanceof java.util.UUID || value instanceof ObjectId
				|| value instanceof java.util.Date || value instanceof java.time.Instant) {
			return value;
		}
		if (value instanceof Long l && l.longValue() != (long) l.doubleValue()) {
			return l;
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Double) {
			double d = ((Number) value).doubleValue();
			return d == -0.0 ? 0.0 : d;
		}
		return NOT_PLAIN;
	}
}
