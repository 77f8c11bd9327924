package io.fidelis.bootstrap.storage;

import java.lang.reflect.Proxy;

import org.bson.Document;
import org.springframework.dao.DataAccessException;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * The database factory the adapters use when the store is embedded in this node: its collections
 * run their everyday commands in-process ({@link LocalCollection}); everything else, and every
 * other node sharing the store, goes through the driver and the wire as before.
 */
final class LocalDatabaseFactory extends SimpleMongoClientDatabaseFactory {

	private final InProcessStore store;
	/** The configured database and its collections, made once: adapters ask for them on every call. */
	private final MongoDatabase database;
	private final java.util.concurrent.ConcurrentHashMap<String, MongoCollection<Document>> collections =
			new java.util.concurrent.ConcurrentHashMap<>();

	LocalDatabaseFactory(MongoClient client, String database, InProcessStore store) {
		super(client, database);
		this.store = store;
		this.database = local(super.getMongoDatabase(), true);
	}

	@Override
	public MongoDatabase getMongoDatabase() throws DataAccessException {
		return database;
	}

	@Override
	public MongoDatabase getMongoDatabase(String name) throws DataAccessException {
		return local(super.getMongoDatabase(name), false);
	}

	private MongoDatabase local(MongoDatabase wire, boolean configured) {
		return (MongoDatabase) Proxy.newProxyInstance(LocalDatabaseFactory.class.getClassLoader(),
				new Class<?>[] { MongoDatabase.class }, (proxy, method, args) -> {
					Object[] a = args == null ? new Object[0] : args;
					switch (method.getName()) {
						case "getCollection" -> {
							if (a.length == 1 || a[1] == Document.class) {
								String name = (String) a[0];
								return configured ? collections.computeIfAbsent(name, n -> LocalCollection.over(store, wire.getCollection(n)))
										: LocalCollection.over(store, wire.getCollection(name));
							}
						}
						case "withReadPreference", "withWriteConcern", "withReadConcern", "withCodecRegistry", "withTimeout" -> {
							return local((MongoDatabase) LocalCollection.call(wire, method, a), false);
						}
						case "hashCode" -> {
							return System.identityHashCode(proxy);
						}
						case "equals" -> {
							return proxy == a[0];
						}
						case "toString" -> {
							return "in-process " + wire.getName();
						}
						default -> {
						}
					}
					return LocalCollection.call(wire, method, a);
				});
	}
}
