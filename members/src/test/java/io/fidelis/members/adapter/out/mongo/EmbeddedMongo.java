package io.fidelis.members.adapter.out.mongo;

import org.bson.UuidRepresentation;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The embedded server Fidelis runs by default (H2 backend, in memory here), reached through the
 * real driver. Registered as a static extension ({@code @RegisterExtension}), one server serves
 * the test class, each test starting on an empty database.
 */
final class EmbeddedMongo implements AutoCloseable, org.junit.jupiter.api.extension.BeforeEachCallback,
		org.junit.jupiter.api.extension.AfterAllCallback {

	private final MongoServer server = new MongoServer(H2Backend.inMemory());
	private final MongoClient client;
	final MongoDatabaseFactory factory;

	EmbeddedMongo() {
		String uri = server.bindAndGetConnectionString();
		client = MongoClients.create(MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri))
				.uuidRepresentation(UuidRepresentation.STANDARD).build());
		factory = new SimpleMongoClientDatabaseFactory(client, "members_test");
	}

	static MongoDatabaseFactory factory(String uri) {
		MongoClient client = MongoClients.create(MongoClientSettings.builder()
				.applyConnectionString(new ConnectionString(uri)).uuidRepresentation(UuidRepresentation.STANDARD).build());
		return new SimpleMongoClientDatabaseFactory(client, "members_test");
	}

	@Override
	public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
		factory.getMongoDatabase().drop();
	}

	@Override
	public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
		close();
	}

	@Override
	public void close() {
		client.close();
		server.shutdownNow();
	}
}
