package io.fidelis.bootstrap.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterators;
import java.util.function.Consumer;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ServerAddress;
import com.mongodb.ServerCursor;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoIterable;

/**
 * A find on a {@link LocalCollection}: filter, projection, sort, skip, limit and batch size run
 * in-process; any other option hands the whole find, with what was set so far, to the driver.
 */
final class LocalFind implements InvocationHandler {

	private final InProcessStore store;
	private final MongoCollection<Document> wire;
	private final String database;
	private final String collection;
	/** What the caller set, to replay on the driver's find should it ask for more. */
	private final List<Object[]> calls = new ArrayList<>();
	private final List<Method> called = new ArrayList<>();
	private final Bson given;
	private Bson filter;
	private Bson projection;
	private Bson sort;
	private int skip;
	private int limit;
	private int batchSize;

	private LocalFind(InProcessStore store, MongoCollection<Document> wire, String database, String collection, Bson filter) {
		this.store = store;
		this.wire = wire;
		this.database = database;
		this.collection = collection;
		this.given = filter;
		this.filter = filter;
	}

	@SuppressWarnings("unchecked")
	static FindIterable<Document> over(InProcessStore store, MongoCollection<Document> wire, String database,
			String collection, Bson filter) {
		return (FindIterable<Document>) Proxy.newProxyInstance(LocalFind.class.getClassLoader(),
				new Class<?>[] { FindIterable.class }, new LocalFind(store, wire, database, collection, filter));
	}

	@Override
	@SuppressWarnings("unchecked")
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		Object[] a = args == null ? new Object[0] : args;
		String name = method.getName();
		boolean set = true;
		switch (name) {
			case "filter" -> filter = (Bson) a[0];
			case "projection" -> projection = (Bson) a[0];
			case "sort" -> sort = (Bson) a[0];
			case "skip" -> skip = (Integer) a[0];
			case "limit" -> limit = (Integer) a[0];
			case "batchSize" -> batchSize = (Integer) a[0];
			default -> set = false;
		}
		if (set) {
			calls.add(a);
			called.add(method);
			return proxy;
		}
		return switch (name) {
			case "first" -> {
				try (LocalCursor cursor = run(1, true)) {
					yield cursor.hasNext() ? cursor.next() : null;
				}
			}
			case "iterator", "cursor" -> run(limit, false);
			case "into" -> {
				Collection<Document> target = (Collection<Document>) a[0];
				try (LocalCursor cursor = run(limit, false)) {
					cursor.forEachRemaining(target::add);
				}
				yield target;
			}
			case "forEach" -> {
				try (LocalCursor cursor = run(limit, false)) {
					cursor.forEachRemaining((Consumer<Document>) a[0]);
				}
				yield null;
			}
			case "spliterator" -> Spliterators.spliteratorUnknownSize(run(limit, false), 0);
			case "map" -> new Mapped<>(() -> run(limit, false), (com.mongodb.Function<Document, Object>) a[0]);
			case "hashCode" -> System.identityHashCode(proxy);
			case "equals" -> proxy == a[0];
			case "toString" -> "in-process find on " + database + "." + collection;
			default -> LocalCollection.call(onTheWire(), method, a);
		};
	}

	/** The same find through the driver, with every option set so far. */
	private FindIterable<Document> onTheWire() throws Throwable {
		FindIterable<Document> find = given == null ? wire.find() : wire.find(given);
		for (int i = 0; i < calls.size(); i++) {
			find = (FindIterable<Document>) LocalCollection.call(find, called.get(i), calls.get(i));
		}
		return find;
	}

	private LocalCursor run(int limit, boolean single) {
		BsonDocument command = new BsonDocument("find", new BsonString(collection));
		if (filter != null) {
			command.append("filter", filter.toBsonDocument(Document.class, store.codecs()));
		}
		if (projection != null) {
			command.append("projection", projection.toBsonDocument(Document.class, store.codecs()));
		}
		if (sort != null) {
			command.append("sort", sort.toBsonDocument(Document.class, store.codecs()));
		}
		if (skip > 0) {
			command.append("skip", new BsonInt32(skip));
		}
		if (limit != 0) {
			command.append("limit", new BsonInt32(Math.abs(limit)));
		}
		if (single || limit < 0) {
			command.append("singleBatch", BsonBoolean.TRUE);
		}
		else if (batchSize > 0) {
			command.append("batchSize", new BsonInt32(batchSize));
		}
		de.bwaldvogel.mongo.bson.Document cursor = (de.bwaldvogel.mongo.bson.Document) store.run(database, command).get("cursor");
		return new LocalCursor((List<?>) cursor.get("firstBatch"), ((Number) cursor.get("id")).longValue());
	}

	/** Results of a find, a batch at a time; later batches are asked for with getMore. */
	private final class LocalCursor implements MongoCursor<Document> {

		private Iterator<?> batch;
		private int left;
		private long id;

		LocalCursor(List<?> first, long id) {
			this.batch = first.iterator();
			this.left = first.size();
			this.id = id;
		}

		@Override
		public boolean hasNext() {
			while (!batch.hasNext()) {
				if (id == 0) {
					return false;
				}
				BsonDocument more = new BsonDocument("getMore", new BsonInt64(id)).append("collection", new BsonString(collection));
				if (batchSize > 0) {
					more.append("batchSize", new BsonInt32(batchSize));
				}
				de.bwaldvogel.mongo.bson.Document cursor = (de.bwaldvogel.mongo.bson.Document) store.run(database, more)
						.get("cursor");
				List<?> next = (List<?>) cursor.get("nextBatch");
				batch = next.iterator();
				left = next.size();
				id = ((Number) cursor.get("id")).longValue();
			}
			return true;
		}

		@Override
		public Document next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			left--;
			return store.decode((de.bwaldvogel.mongo.bson.Document) batch.next());
		}

		@Override
		public int available() {
			return left;
		}

		@Override
		public Document tryNext() {
			return batch.hasNext() ? next() : null;
		}

		@Override
		public ServerCursor getServerCursor() {
			return id == 0 ? null : new ServerCursor(id, store.address());
		}

		@Override
		public ServerAddress getServerAddress() {
			return store.address();
		}

		@Override
		public void close() {
			if (id != 0) {
				store.run(database, new BsonDocument("killCursors", new BsonString(collection))
						.append("cursors", new BsonArray(List.of(new BsonInt64(id)))));
				id = 0;
			}
		}
	}

	/** {@code find(...).map(f)}: the same results, each mapped as it is read. */
	private record Mapped<T>(java.util.function.Supplier<MongoCursor<Document>> results,
			com.mongodb.Function<Document, T> mapping) implements MongoIterable<T> {

		@Override
		public MongoCursor<T> iterator() {
			MongoCursor<Document> source = results.get();
			return new MongoCursor<>() {
				@Override
				public void close() {
					source.close();
				}

				@Override
				public boolean hasNext() {
					return source.hasNext();
				}

				@Override
				public T next() {
					return mapping.apply(source.next());
				}

				@Override
				public int available() {
					return source.available();
				}

				@Override
				public T tryNext() {
					Document next = source.tryNext();
					return next == null ? null : mapping.apply(next);
				}

				@Override
				public ServerCursor getServerCursor() {
					return source.getServerCursor();
				}

				@Override
				public ServerAddress getServerAddress() {
					return source.getServerAddress();
				}
			};
		}

		@Override
		public MongoCursor<T> cursor() {
			return iterator();
		}

		@Override
		public T first() {
			try (MongoCursor<T> cursor = iterator()) {
				return cursor.hasNext() ? cursor.next() : null;
			}
		}

		@Override
		public <U> MongoIterable<U> map(com.mongodb.Function<T, U> next) {
			return new Mapped<>(results, d -> next.apply(mapping.apply(d)));
		}

		@Override
		public <A extends Collection<? super T>> A into(A target) {
			try (MongoCursor<T> cursor = iterator()) {
				cursor.forEachRemaining(target::add);
			}
			return target;
		}

		@Override
		public MongoIterable<T> batchSize(int size) {
			return this;
		}
	}
}
