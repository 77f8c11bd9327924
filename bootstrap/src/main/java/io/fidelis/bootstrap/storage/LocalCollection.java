package io.fidelis.bootstrap.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDocumentWrapper;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteError;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteInsert;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.FindOneAndDeleteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.InsertOneOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.InsertManyResult;
import com.mongodb.client.result.InsertOneResult;
import com.mongodb.client.result.UpdateResult;

/**
 * A collection of the embedded store as the adapters know it ({@link MongoCollection}), whose
 * everyday calls run in-process ({@link InProcessStore}): finds, inserts, updates, replacements,
 * deletes, bulk writes, find-and-modify with the options the adapters use, and the estimated
 * count. Anything else (an index, a count with a filter, a distinct, an option the engine is not
 * asked for here, a session) goes to the same collection through the driver, so every call keeps
 * the driver's meaning. Answers and
 * errors are the driver's own types, built as the driver builds them from the same replies.
 */
final class LocalCollection implements InvocationHandler {

	private final InProcessStore store;
	private final MongoCollection<Document> wire;
	private final String database;
	private final String name;

	private LocalCollection(InProcessStore store, MongoCollection<Document> wire) {
		this.store = store;
		this.wire = wire;
		this.database = wire.getNamespace().getDatabaseName();
		this.name = wire.getNamespace().getCollectionName();
	}

	@SuppressWarnings("unchecked")
	static MongoCollection<Document> over(InProcessStore store, MongoCollection<Document> wire) {
		return (MongoCollection<Document>) Proxy.newProxyInstance(LocalCollection.class.getClassLoader(),
				new Class<?>[] { MongoCollection.class }, new LocalCollection(store, wire));
	}

	@Override
	@SuppressWarnings("unchecked")
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		Object[] a = args == null ? new Object[0] : args;
		switch (method.getName()) {
			case "find" -> {
				if (a.length == 0) {
					return LocalFind.over(store, wire, database, name, null);
				}
				if (a.length == 1 && a[0] instanceof Bson filter) {
					return LocalFind.over(store, wire, database, name, filter);
				}
			}
			case "insertOne" -> {
				if (a[0] instanceof Document document && (a.length == 1 || plain((InsertOneOptions) a[1]))) {
					return insertOne(document);
				}
			}
			case "insertMany" -> {
				if (a[0] instanceof List<?> list && (a.length == 1 || plain((InsertManyOptions) a[1]))) {
					return insertMany((List<Document>) list, a.length == 1 || ((InsertManyOptions) a[1]).isOrdered());
				}
			}
			case "updateOne", "updateMany" -> {
				if (a[0] instanceof Bson filter && a[1] instanceof Bson update
						&& (a.length == 2 || plain((UpdateOptions) a[2]))) {
					boolean upsert = a.length == 3 && ((UpdateOptions) a[2]).isUpsert();
					return update(filter, bson(update), upsert, "updateMany".equals(method.getName()));
				}
			}
			case "replaceOne" -> {
				if (a[0] instanceof Bson filter && a[1] instanceof Document replacement
						&& (a.length == 2 || plain((ReplaceOptions) a[2]))) {
					boolean upsert = a.length == 3 && ((ReplaceOptions) a[2]).isUpsert();
					return update(filter, wrap(replacement), upsert, false);
				}
			}
			case "estimatedDocumentCount" -> {
				// the due-work pollers ask it every second to skip an empty collection
				if (a.length == 0) {
					return count(store.run(database, command("count")), "n");
				}
			}
			case "deleteOne", "deleteMany" -> {
				// Spring Data's remove passes options (empty): the event registry's removals went the wire's way
				if (a[0] instanceof Bson filter && (a.length == 1
						|| a.length == 2 && a[1] instanceof com.mongodb.client.model.DeleteOptions o && plain(o))) {
					return delete(filter, "deleteOne".equals(method.getName()));
				}
			}
			case "bulkWrite" -> {
				if (a[0] instanceof List<?> models && (a.length == 1 || plain((BulkWriteOptions) a[1]))
						&& models.stream().allMatch(LocalCollection::plain)) {
					return bulkWrite((List<WriteModel<Document>>) models, a.length == 1 || ((BulkWriteOptions) a[1]).isOrdered());
				}
			}
			case "findOneAndUpdate" -> {
				if (a[0] instanceof Bson filter && a[1] instanceof Bson update
						&& (a.length == 2 || plain((FindOneAndUpdateOptions) a[2]))) {
					FindOneAndUpdateOptions options = a.length == 3 ? (FindOneAndUpdateOptions) a[2] : new FindOneAndUpdateOptions();
					BsonDocument command = command("findAndModify").append("query", bson(filter)).append("update", bson(update))
							.append("new", BsonBoolean.valueOf(options.getReturnDocument() == ReturnDocument.AFTER))
							.append("upsert", BsonBoolean.valueOf(options.isUpsert()));
					return findAndModify(command, options.getProjection(), options.getSort());
				}
			}
			case "findOneAndDelete" -> {
				if (a[0] instanceof Bson filter && (a.length == 1 || plain((FindOneAndDeleteOptions) a[1]))) {
					FindOneAndDeleteOptions options = a.length == 2 ? (FindOneAndDeleteOptions) a[1] : new FindOneAndDeleteOptions();
					return findAndModify(command("findAndModify").append("query", bson(filter)).append("remove", BsonBoolean.TRUE),
							options.getProjection(), options.getSort());
				}
			}
			case "withReadPreference", "withWriteConcern", "withReadConcern", "withCodecRegistry", "withTimeout" -> {
				return over(store, (MongoCollection<Document>) call(wire, method, a));
			}
			case "hashCode" -> {
				return System.identityHashCode(proxy);
			}
			case "equals" -> {
				return proxy == a[0];
			}
			case "toString" -> {
				return "in-process " + database + "." + name;
			}
			default -> {
			}
		}
		return call(wire, method, a);
	}

	static Object call(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException e) {
			throw e.getCause();
		}
	}

	// --- the commands ----------------------------------------------------------------------

	private InsertOneResult insertOne(Document document) {
		BsonValue id = identify(document);
		de.bwaldvogel.mongo.bson.Document reply = store.run(database, command("insert").append("documents", new BsonArray(List.of(wrap(document))))
				.append("ordered", BsonBoolean.TRUE));
		List<BulkWriteError> errors = writeErrors(reply);
		if (!errors.isEmpty()) {
			throw single(errors.get(0));
		}
		return InsertOneResult.acknowledged(id);
	}

	private InsertManyResult insertMany(List<Document> documents, boolean ordered) {
		if (documents.isEmpty()) {
			throw new IllegalArgumentException("state should be: documents list is not empty");
		}
		Map<Integer, BsonValue> ids = new HashMap<>();
		List<BsonValue> wrapped = new ArrayList<>(documents.size());
		for (int i = 0; i < documents.size(); i++) {
			ids.put(i, identify(documents.get(i)));
			wrapped.add(wrap(documents.get(i)));
		}
		de.bwaldvogel.mongo.bson.Document reply = store.run(database, command("insert").append("documents", new BsonArray(wrapped))
				.append("ordered", BsonBoolean.valueOf(ordered)));
		List<BulkWriteError> errors = writeErrors(reply);
		if (!errors.isEmpty()) {
			List<BulkWriteInsert> inserted = inserts(ids, errors);
			throw new MongoBulkWriteException(BulkWriteResult.acknowledged((int) count(reply, "n"), 0, 0, 0, List.of(), inserted),
					errors, null, store.address(), Set.of());
		}
		return InsertManyResult.acknowledged(ids);
	}

	private UpdateResult update(Bson filter, BsonValue update, boolean upsert, boolean multi) {
		de.bwaldvogel.mongo.bson.Document reply = store.run(database, command("update")
				.append("updates", new BsonArray(List.of(updateStatement(bson(filter), update, upsert, multi))))
				.append("ordered", BsonBoolean.TRUE));
		List<BulkWriteError> errors = writeErrors(reply);
		if (!errors.isEmpty()) {
			throw single(errors.get(0));
		}
		List<BulkWriteUpsert> upserts = upserts(reply, null);
		long n = count(reply, "n");
		return UpdateResult.acknowledged(n - upserts.size(), count(reply, "nModified"),
				upserts.isEmpty() ? null : upserts.get(0).getId());
	}

	private DeleteResult delete(Bson filter, boolean one) {
		de.bwaldvogel.mongo.bson.Document reply = store.run(database, command("delete")
				.append("deletes", new BsonArray(List.of(deleteStatement(bson(filter), one))))
				.append("ordered", BsonBoolean.TRUE));
		List<BulkWriteError> errors = writeErrors(reply);
		if (!errors.isEmpty()) {
			throw single(errors.get(0));
		}
		return DeleteResult.acknowledged(count(reply, "n"));
	}

	private Document findAndModify(BsonDocument command, Bson projection, Bson sort) {
		if (projection != null) {
			command.append("fields", bson(projection));
		}
		if (sort != null) {
			command.append("sort", bson(sort));
		}
		Object value = store.run(database, command).get("value");
		return value instanceof de.bwaldvogel.mongo.bson.Document found ? store.decode(found) : null;
	}

	/**
	 * Sends the models in batches as the driver does: a batch takes every model of the first
	 * one's kind (insert, update, replace, delete); ordered, only those in a row, and stops at the
	 * first batch with an error; unordered, the others of that kind too, the rest in later
	 * batches. Indexes in errors and upserts are the models' own.
	 */
	private BulkWriteResult bulkWrite(List<WriteModel<Document>> models, boolean ordered) {
		if (models.isEmpty()) {
			throw new IllegalArgumentException("state should be: writes is not an empty list");
		}
		int inserted = 0;
		int matched = 0;
		int deleted = 0;
		int modified = 0;
		List<BulkWriteUpsert> upserts = new ArrayList<>();
		List<BulkWriteInsert> inserts = new ArrayList<>();
		List<BulkWriteError> errors = new ArrayList<>();
		List<Integer> pending = new ArrayList<>();
		for (int i = 0; i < models.size(); i++) {
			pending.add(i);
		}
		while (!pending.isEmpty() && !(ordered && !errors.isEmpty())) {
			String kind = kind(models.get(pending.get(0)));
			List<Integer> batch = new ArrayList<>();
			List<Integer> rest = new ArrayList<>();
			for (int p = 0; p < pending.size(); p++) {
				int index = pending.get(p);
				if (!kind(models.get(index)).equals(kind)) {
					if (ordered) {
						rest.addAll(pending.subList(p, pending.size()));
						break;
					}
					rest.add(index);
					continue;
				}
				batch.add(index);
			}
			pending = rest;
			List<BsonValue> statements = new ArrayList<>();
			Map<Integer, BsonValue> ids = new java.util.LinkedHashMap<>();
			for (int index : batch) {
				WriteModel<Document> model = models.get(index);
				if (model instanceof InsertOneModel<Document> insert) {
					ids.put(index, identify(insert.getDocument()));
					statements.add(wrap(insert.getDocument()));
				}
				else if (model instanceof UpdateOneModel<Document> u) {
					statements.add(updateStatement(bson(u.getFilter()), bson(u.getUpdate()), u.getOptions().isUpsert(), false));
				}
				else if (model instanceof UpdateManyModel<Document> u) {
					statements.add(updateStatement(bson(u.getFilter()), bson(u.getUpdate()), u.getOptions().isUpsert(), true));
				}
				else if (model instanceof ReplaceOneModel<Document> r) {
					statements.add(updateStatement(bson(r.getFilter()), wrap(r.getReplacement()),
							r.getReplaceOptions().isUpsert(), false));
				}
				else if (model instanceof DeleteOneModel<Document> d) {
					statements.add(deleteStatement(bson(d.getFilter()), true));
				}
				else if (model instanceof DeleteManyModel<Document> d) {
					statements.add(deleteStatement(bson(d.getFilter()), false));
				}
			}
			String command = "replace".equals(kind) ? "update" : kind;
			de.bwaldvogel.mongo.bson.Document reply = store.run(database, command(command).append(switch (command) {
				case "insert" -> "documents";
				case "update" -> "updates";
				default -> "deletes";
			}, new BsonArray(statements)).append("ordered", BsonBoolean.valueOf(ordered)));
			List<BulkWriteError> failed = writeErrors(reply);
			for (BulkWriteError e : failed) {
				errors.add(new BulkWriteError(e.getCode(), e.getMessage(), e.getDetails(), batch.get(e.getIndex())));
			}
			long n = count(reply, "n");
			switch (command) {
				case "insert" -> {
					inserts.addAll(inserts(ids, failed));
					inserted += (int) n;
				}
				case "update" -> {
					List<BulkWriteUpsert> made = upserts(reply, batch);
					upserts.addAll(made);
					matched += (int) (n - made.size());
					modified += (int) count(reply, "nModified");
				}
				default -> deleted += (int) n;
			}
		}
		BulkWriteResult result = BulkWriteResult.acknowledged(inserted, matched, deleted, modified, upserts, inserts);
		if (!errors.isEmpty()) {
			errors.sort(java.util.Comparator.comparingInt(BulkWriteError::getIndex)); // the driver keeps them by index
			throw new MongoBulkWriteException(result, errors, null, store.address(), Set.of());
		}
		return result;
	}

	// --- building commands and reading replies ---------------------------------------------

	private BsonDocument command(String command) {
		return new BsonDocument(command, new BsonString(name));
	}

	private BsonDocument bson(Bson bson) {
		return bson.toBsonDocument(Document.class, store.codecs());
	}

	private BsonDocument wrap(Document document) {
		return BsonDocumentWrapper.asBsonDocument(document, store.codecs());
	}

	/** Gives a document without an id a new ObjectId, as the driver does; answers the id. */
	private BsonValue identify(Document document) {
		Object id = document.get("_id");
		if (id == null && !document.containsKey("_id")) {
			id = new ObjectId();
			document.put("_id", id);
		}
		if (id instanceof String text) {
			return new BsonString(text);
		}
		return wrap(new Document("_id", id)).get("_id");
	}

	private static BsonDocument updateStatement(BsonDocument filter, BsonValue update, boolean upsert, boolean multi) {
		BsonDocument statement = new BsonDocument("q", filter).append("u", update);
		if (upsert) {
			statement.append("upsert", BsonBoolean.TRUE);
		}
		if (multi) {
			statement.append("multi", BsonBoolean.TRUE);
		}
		return statement;
	}

	private static BsonDocument deleteStatement(BsonDocument filter, boolean one) {
		return new BsonDocument("q", filter).append("limit", new BsonInt32(one ? 1 : 0));
	}

	private List<BulkWriteError> writeErrors(de.bwaldvogel.mongo.bson.Document reply) {
		if (!(reply.get("writeErrors") instanceof List<?> errors) || errors.isEmpty()) {
			return List.of();
		}
		List<BulkWriteError> found = new ArrayList<>();
		for (Object value : errors) {
			de.bwaldvogel.mongo.bson.Document error = (de.bwaldvogel.mongo.bson.Document) value;
			BsonDocument details = error.get("errInfo") instanceof de.bwaldvogel.mongo.bson.Document info
					? store.decode(info).toBsonDocument(Document.class, store.codecs()) : new BsonDocument();
			found.add(new BulkWriteError(error.get("code") instanceof Number code ? code.intValue() : -1,
					error.get("errmsg") instanceof String message ? message : "", details,
					error.get("index") instanceof Number index ? index.intValue() : 0));
		}
		return found;
	}

	private MongoWriteException single(BulkWriteError error) {
		return new MongoWriteException(new WriteError(error.getCode(), error.getMessage(), error.getDetails()),
				store.address(), Set.of());
	}

	/**
	 * The inserts a command reports, as the driver (5.6) reports them: every document sent but
	 * those whose index in the whole list equals an error's index within the command (the driver
	 * compares the two kinds of index, so a later batch's failed documents count as inserted).
	 * The count beside them is the store's "n", which is every document sent.
	 */
	private static List<BulkWriteInsert> inserts(Map<Integer, BsonValue> ids, List<BulkWriteError> errors) {
		Set<Integer> refused = new java.util.HashSet<>();
		errors.forEach(e -> refused.add(e.getIndex()));
		List<BulkWriteInsert> inserts = new ArrayList<>();
		ids.forEach((index, id) -> {
			if (!refused.contains(index)) {
				inserts.add(new BulkWriteInsert(index, id));
			}
		});
		return inserts;
	}

	private List<BulkWriteUpsert> upserts(de.bwaldvogel.mongo.bson.Document reply, List<Integer> batch) {
		if (!(reply.get("upserted") instanceof List<?> upserted)) {
			return List.of();
		}
		List<BulkWriteUpsert> found = new ArrayList<>();
		for (Object value : upserted) {
			de.bwaldvogel.mongo.bson.Document upsert = (de.bwaldvogel.mongo.bson.Document) value;
			int index = ((Number) upsert.get("index")).intValue();
			found.add(new BulkWriteUpsert(batch == null ? index : batch.get(index), store.bson(upsert.get("_id"))));
		}
		return found;
	}

	private static long count(de.bwaldvogel.mongo.bson.Document reply, String field) {
		return reply.get(field) instanceof Number number ? number.longValue() : 0;
	}

	private static String kind(WriteModel<?> model) {
		if (model instanceof InsertOneModel<?>) {
			return "insert";
		}
		if (model instanceof DeleteOneModel<?> || model instanceof DeleteManyModel<?>) {
			return "delete";
		}
		return model instanceof ReplaceOneModel<?> ? "replace" : "update";
	}

	// --- what runs in-process: the options the adapters use; anything more goes to the driver ----

	private static boolean plain(InsertOneOptions o) {
		return o.getBypassDocumentValidation() == null && o.getComment() == null;
	}

	private static boolean plain(InsertManyOptions o) {
		return o.getBypassDocumentValidation() == null && o.getComment() == null;
	}

	private static boolean plain(BulkWriteOptions o) {
		return o.getBypassDocumentValidation() == null && o.getComment() == null && o.getLet() == null;
	}

	private static boolean plain(UpdateOptions o) {
		return o.getBypassDocumentValidation() == null && o.getCollation() == null && o.getArrayFilters() == null
				&& o.getHint() == null && o.getHintString() == null && o.getComment() == null && o.getLet() == null
				&& o.getSort() == null;
	}

	private static boolean plain(ReplaceOptions o) {
		return o.getBypassDocumentValidation() == null && o.getCollation() == null && o.getHint() == null
				&& o.getHintString() == null && o.getComment() == null && o.getLet() == null && o.getSort() == null;
	}

	private static boolean plain(FindOneAndUpdateOptions o) {
		return o.getBypassDocumentValidation() == null && o.getCollation() == null && o.getArrayFilters() == null
				&& o.getHint() == null && o.getHintString() == null && o.getComment() == null && o.getLet() == null
				&& o.getMaxTime(java.util.concurrent.TimeUnit.MILLISECONDS) == 0;
	}

	private static boolean plain(FindOneAndDeleteOptions o) {
		return o.getCollation() == null && o.getHint() == null && o.getHintString() == null && o.getComment() == null
				&& o.getLet() == null && o.getMaxTime(java.util.concurrent.TimeUnit.MILLISECONDS) == 0;
	}

	private static boolean plain(Object model) {
		if (model instanceof InsertOneModel<?> insert) {
			return insert.getDocument() instanceof Document;
		}
		if (model instanceof UpdateOneModel<?> u) {
			return u.getUpdate() != null && plain(u.getOptions());
		}
		if (model instanceof UpdateManyModel<?> u) {
			return u.getUpdate() != null && plain(u.getOptions());
		}
		if (model instanceof ReplaceOneModel<?> r) {
			return r.getReplacement() instanceof Document && plain(r.getReplaceOptions());
		}
		if (model instanceof DeleteOneModel<?> d) {
			return plain(d.getOptions());
		}
		if (model instanceof DeleteManyModel<?> d) {
			return plain(d.getOptions());
		}
		return false;
	}

	private static boolean plain(com.mongodb.client.model.DeleteOptions o) {
		return o.getCollation() == null && o.getHint() == null && o.getHintString() == null && o.getComment() == null
				&& o.getLet() == null;
	}
}
