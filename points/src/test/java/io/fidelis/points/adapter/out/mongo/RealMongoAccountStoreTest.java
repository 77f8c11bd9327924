package io.fidelis.points.adapter.out.mongo;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The account store contract against a real MongoDB replica set, where the races the embedded
 * server's per-collection lock hides can show. Skipped, with JUnit saying so, without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoAccountStoreTest extends MongoAccountStoreTest {

	@Container
	static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8.0");

	@Override
	String connectionString() {
		return MONGO.getReplicaSetUrl("points_test");
	}
}
