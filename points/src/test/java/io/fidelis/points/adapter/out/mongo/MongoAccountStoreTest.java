package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.fidelis.points.domain.PointsAccount;

/** The account store against the embedded server: opening is idempotent by member id. */
class MongoAccountStoreTest {

	final MongoServer server = new MongoServer(H2Backend.inMemory());
	final MongoClient client = MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
			.uuidRepresentation(UuidRepresentation.STANDARD).build());
	final MongoAccountStore store = new MongoAccountStore(new SimpleMongoClientDatabaseFactory(client, "points_test"));

	@AfterEach
	void stop() {
		client.close();
		server.shutdownNow();
	}

	@Test
	void anAccountOpensOnceAndReadsBack() {
		PointsAccount account = PointsAccount.open("m_1", "acme", Instant.parse("2026-11-27T09:00:00.123Z"));

		assertThat(store.openIfAbsent(account)).isTrue();
		assertThat(store.openIfAbsent(PointsAccount.open("m_1", "acme", Instant.now()))).isFalse();

		assertThat(store.findAll(List.of("m_1", "m_2"))).containsOnlyKeys("m_1").containsEntry("m_1", account);
		assertThat(store.findAll(List.of())).isEmpty();
	}
}
