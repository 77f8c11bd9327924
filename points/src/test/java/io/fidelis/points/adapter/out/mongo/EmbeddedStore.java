package io.fidelis.points.adapter.out.mongo;

import org.bson.UuidRepresentation;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** An embedded server in memory and a client on it, for adapter tests that need nothing else. */
final class EmbeddedStore implements AutoCloseable {

	private final MongoServer server = new MongoServer(H2Backend.inMemory());
	private final MongoClient client = MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
			.uuidRepresentation(UuidRepresentation.STANDARD).build());

	SimpleMongoClientDatabaseFactory database(String name) {
		return new SimpleMongoClientDatabaseFactory(client, name);
	}

	@Override
	public void close() {
		client.close();
		server.shutdownNow();
	}
}
