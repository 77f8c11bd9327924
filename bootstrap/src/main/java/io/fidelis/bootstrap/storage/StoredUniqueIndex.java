package io.fidelis.bootstrap.storage;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

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
		if (fields == null) {
			return super.getKeyValues(document);
		}
		Object[] values = new Object[fields.length];
		for (int i = 0; i < fields.length; i++) {
			Object value = plain(document.get(fields[i]));
			if (value == NOT_PLAIN) {
				return super.getKeyValues(document);
			}
			values[i] = value;
		}
		return Collections.singleton(new KeyValue(values));
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
