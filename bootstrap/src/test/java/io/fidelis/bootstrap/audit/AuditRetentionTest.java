package io.fidelis.bootstrap.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/** The audit trail keeps its retention: older entries go, newer ones and those at the cutoff stay. */
class AuditRetentionTest {

	static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");

	final MongoServer server = new MongoServer(H2Backend.inMemory());
	final MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
	final SimpleMongoClientDatabaseFactory factory = new SimpleMongoClientDatabaseFactory(client, "audit_test");
	final AuditTrail trail = new AuditTrail(factory);

	@AfterEach
	void stop() {
		client.close();
		server.shutdownNow();
	}

	List<String> storedAt(Instant... times) {
		List<String> ids = new ArrayList<>();
		for (Instant at : times) {
			String id = AuditTrail.newId(at);
			factory.getMongoDatabase().getCollection(AuditTrail.COLLECTION).insertOne(new Document("_id", id));
			ids.add(id);
		}
		return ids;
	}

	List<String> left() {
		return factory.getMongoDatabase().getCollection(AuditTrail.COLLECTION).find().map(d -> d.getString("_id"))
				.into(new ArrayList<>());
	}

	@Test
	void entriesOlderThanTheRetentionAreRemovedAndTheRestStay() {
		Duration twoYears = Duration.ofDays(730);
		List<String> ids = storedAt(NOW.minus(twoYears).minusSeconds(86_400), NOW.minus(twoYears).minusMillis(1),
				NOW.minus(twoYears), NOW.minus(Duration.ofDays(30)), NOW);

		new AuditRetention(trail, Clock.fixed(NOW, ZoneOffset.UTC), twoYears).sweep();

		assertThat(left()).containsExactlyInAnyOrder(ids.get(2), ids.get(3), ids.get(4));
		new AuditRetention(trail, Clock.fixed(NOW, ZoneOffset.UTC), twoYears).sweep(); // again: nothing changes
		assertThat(left()).hasSize(3);
	}

	@Test
	void zeroKeepsEverythingAndANegativeRetentionIsRefused() {
		storedAt(NOW.minus(Duration.ofDays(5_000)), NOW);
		new AuditRetention(trail, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO).sweep();
		assertThat(left()).hasSize(2);
		assertThatThrownBy(() -> new AuditRetention(trail, Clock.systemUTC(), Duration.ofDays(-1)))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fidelis.audit.retention");
	}
}
