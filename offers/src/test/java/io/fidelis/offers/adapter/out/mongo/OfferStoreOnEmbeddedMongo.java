package io.fidelis.offers.adapter.out.mongo;

import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** The offers store on an in-memory embedded server, a fresh one per test. */
abstract class OfferStoreOnEmbeddedMongo {

	static final String DATABASE = "offers_test";

	MongoServer server;
	MongoClient client;
	MongoOfferStore store;

	@BeforeEach
	void connect() {
		server = new MongoServer(H2Backend.inMemory());
		client = MongoClients.create(MongoClientSettings.builder()
				.applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
				.uuidRepresentation(UuidRepresentation.STANDARD).build());
		store = new MongoOfferStore(new SimpleMongoClientDatabaseFactory(client, DATABASE));
	}

	@AfterEach
	void stop() {
		client.close();
		server.shutdownNow();
	}
}
