package io.fidelis.bootstrap.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWrapper;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;

import de.bwaldvogel.mongo.bson.BinData;

/**
 * BSON values carried between the driver's types and the engine's as objects, with no bytes in
 * between: the two encodings a command and its reply went through took about a tenth of an
 * earn's CPU. Only the types the wire would carry the same way are taken; for any other (a
 * regular expression, a legacy UUID, a type with a codec of its own) it throws {@link Other} and
 * the caller goes through BSON bytes, which carry everything.
 */
final class EngineValues {

	/** A value this class does not carry; the caller goes through bytes. */
	static final class Other extends RuntimeException {
		Other() {
			super(null, null, false, false);
		}
	}

	private static final Other OTHER = new Other();

	private EngineValues() {
	}

	// --- the driver's values to the engine's ----------------------------------------------

	static de.bwaldvogel.mongo.bson.Document toEngine(BsonDocument document) {
		if (document instanceof BsonDocumentWrapper<?> wrapper && !wrapper.isUnwrapped()
				&& wrapper.getWrappedDocument() instanceof Document plain) {
			return fromJava(plain);
		}
		de.bwaldvogel.mongo.bson.Document converted = new de.bwaldvogel.mongo.bson.Document();
		for (Map.Entry<String, BsonValue> entry : document.entrySet()) {
			converted.put(entry.getKey(), toEngine(entry.getValue()));
		}
		return converted;
	}

	private static Object toEngine(BsonValue value) {
		return switch (value.getBsonType()) {
			case DOCUMENT -> toEngine(value.asDocument());
			case ARRAY -> {
				BsonArray array = value.asArray();
				List<Object> list = new ArrayList<>(array.size());
				for (BsonValue element : array) {
					list.add(toEngine(element));
				}
				yield list;
			}
			case STRING -> value.asString().getValue();
			case INT32 -> value.asInt32().getValue();
			case INT64 -> value.asInt64().getValue();
			case DOUBLE -> value.asDouble().getValue();
			case BOOLEAN -> value.asBoolean().getValue();
			case DATE_TIME -> Instant.ofEpochMilli(value.asDateTime().getValue());
			case OBJECT_ID -> new de.bwaldvogel.mongo.bson.ObjectId(value.asObjectId().getValue().toByteArray());
			case NULL -> null;
			case DECIMAL128 -> new de.bwaldvogel.mongo.bson.Decimal128(value.asDecimal128().getValue().getLow(),
					value.asDecimal128().getValue().getHigh());
			case BINARY -> binary(value.asBinary().getType(), value.asBinary().getData());
			case TIMESTAMP -> new de.bwaldvogel.mongo.bson.BsonTimestamp(value.asTimestamp().getValue());
			case MIN_KEY -> de.bwaldvogel.mongo.bson.MinKey.getInstance();
			case MAX_KEY -> de.bwaldvogel.mongo.bson.MaxKey.getInstance();
			default -> throw OTHER;
		};
	}

	/** An org.bson Document's values as its codec would write them, for the types the engine keeps alike. */
	private static de.bwaldvogel.mongo.bson.Document fromJava(Map<?, ?> document) {
		de.bwaldvogel.mongo.bson.Document converted = new de.bwaldvogel.mongo.bson.Document();
		for (Map.Entry<?, ?> entry : document.entrySet()) {
			if (!(entry.getKey() instanceof String key)) {
				throw OTHER;
			}
			converted.put(key, fromJava(entry.getValue()));
		}
		return converted;
	}

	private static Object fromJava(Object value) {
		if (value == null || value instanceof String || value instanceof Integer || value instanceof Long
				|| value instanceof Double || value instanceof Boolean) {
			return value;
		}
		if (value instanceof Date date) {
			return Instant.ofEpochMilli(date.getTime());
		}
		if (value instanceof Instant instant) {
			return Instant.ofEpochMilli(instant.toEpochMilli()); // the codec keeps milliseconds
		}
		if (value instanceof Map<?, ?> map) {
			return fromJava(map);
		}
		if (value instanceof Collection<?> collection) {
			List<Object> list = new ArrayList<>(collection.size());
			for (Object element : collection) {
				list.add(fromJava(element));
			}
			return list;
		}
		if (value instanceof ObjectId id) {
			return new de.bwaldvogel.mongo.bson.ObjectId(id.toByteArray());
		}
		if (value instanceof UUID uuid) {
			// as the engine reads a standard UUID (subtype 4); every event publication's id is one
			return uuid;
		}
		if (value instanceof org.bson.types.Decimal128 decimal) {
			return new de.bwaldvogel.mongo.bson.Decimal128(decimal.getLow(), decimal.getHigh());
		}
		if (value instanceof Binary binary) { // getData() is a copy already: not copied again
			return binaryOwned(binary.getType(), binary.getData());
		}
		if (value instanceof byte[] bytes) {
			return new BinData(bytes.clone());
		}
		if (value instanceof Float f) {
			return f.doubleValue();
		}
		if (value instanceof Short || value instanceof Byte) {
			return ((Number) value).intValue();
		}
		if (value instanceof Enum<?> e) {
			return e.name();
		}
		if (value instanceof BsonValue bson) {
			return toEngine(bson);
		}
		throw OTHER;
	}

	private static Object binary(byte subtype, byte[] data) {
		return binaryOwned(subtype, data.clone());
	}

	/**
	 * {@code data} belongs to no one else. An account's packed lots are tens of kilobytes, and each
	 * was copied twice more than needed on its way in and out (a fifth of what earns allocated).
	 */
	private static Object binaryOwned(byte subtype, byte[] data) {
		if (subtype == BsonBinarySubType.BINARY.getValue() || subtype == BsonBinarySubType.USER_DEFINED.getValue()) {
			return new BinData(data);
		}
		if (subtype == BsonBinarySubType.UUID_STANDARD.getValue() && data.length == 16) {
			return new BsonBinary(BsonBinarySubType.UUID_STANDARD, data).asUuid();
		}
		throw OTHER;
	}

	// --- the engine's values to the driver's ----------------------------------------------

	/** As the driver's Document codec reads it, with UUIDs in the standard representation. */
	static Document toDocument(de.bwaldvogel.mongo.bson.Document document) {
		Document converted = new Document();
		for (Map.Entry<String, Object> entry : document.entrySet()) {
			converted.put(entry.getKey(), toJava(entry.getValue()));
		}
		return converted;
	}

	static Object toJava(Object value) {
		if (value == null || value instanceof String || value instanceof Integer || value instanceof Long
				|| value instanceof Double || value instanceof Boolean) {
			return value;
		}
		if (value instanceof Instant instant) {
			return new Date(instant.toEpochMilli());
		}
		if (value instanceof de.bwaldvogel.mongo.bson.Document document) {
			return toDocument(document);
		}
		if (value instanceof List<?> list) {
			List<Object> converted = new ArrayList<>(list.size());
			for (Object element : list) {
				converted.add(toJava(element));
			}
			return converted;
		}
		if (value instanceof de.bwaldvogel.mongo.bson.ObjectId id) {
			return new ObjectId(id.toByteArray());
		}
		if (value instanceof de.bwaldvogel.mongo.bson.Decimal128 decimal) {
			return org.bson.types.Decimal128.fromIEEE754BIDEncoding(decimal.getHigh(), decimal.getLow());
		}
		if (value instanceof BinData data) {
			return new Binary(data.getData()); // the constructor copies
		}
		if (value instanceof UUID uuid) {
			return uuid;
		}
		if (value instanceof de.bwaldvogel.mongo.bson.BsonTimestamp timestamp) {
			return new org.bson.BsonTimestamp(timestamp.getValue());
		}
		if (value instanceof de.bwaldvogel.mongo.bson.MinKey) {
			return new org.bson.types.MinKey();
		}
		if (value instanceof de.bwaldvogel.mongo.bson.MaxKey) {
			return new org.bson.types.MaxKey();
		}
		throw OTHER;
	}
}
