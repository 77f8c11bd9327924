package io.fidelis.bootstrap.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The audit trail's retention is a TTL index on the entries' time, which the store applies itself
 * (the embedded store's sweep is tested with the store; an aged entry leaving is in {@code AuditApiTest}).
 */
class AuditRetentionTest {

	final MongoServer server = new MongoServer(H2Backend.inMemory());
	final MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
	final SimpleMongoClientDatabaseFactory factory = new SimpleMongoClientDatabaseFactory(client, "audit_test");
	final AuditTrail trail = new AuditTrail(factory);

	@AfterEach
	void stop() {
		client.close();
		server.shutdownNow();
	}

	java.util.Optional<Document> retentionIndex() {
		return factory.getMongoDatabase().getCollection(AuditTrail.COLLECTION).listIndexes().into(new ArrayList<>()).stream()
				.filter(i -> AuditTrail.RETENTION_INDEX.equals(i.getString("name"))).findFirst();
	}

	@Test
	void theRetentionIsATtlIndexOnTheEntriesTime() {
		new AuditRetention(trail, Duration.ofDays(730));
		Document index = retentionIndex().orElseThrow();
		assertThat(index.get("key", Document.class)).isEqualTo(new Document("at", 1));
		assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isEqualTo(730L * 24 * 3600);
	}

	@Test
	void zeroKeepsEverythingAndANegativeRetentionIsRefused() {
		new AuditRetention(trail, Duration.ofDays(730));
		new AuditRetention(trail, Duration.ZERO);
		assertThat(retentionIndex()).isEmpty();
		assertThatThrownBy(() -> new AuditRetention(trail, Duration.ofDays(-1)))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fidelis.audit.retention");
	}
}
