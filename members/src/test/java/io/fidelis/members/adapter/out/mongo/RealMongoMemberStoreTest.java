package io.fidelis.members.adapter.out.mongo;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

import io.fidelis.members.application.MemberStore;
import io.fidelis.members.application.MemberStoreContract;

/**
 * The same contract against a real MongoDB replica set, where races the embedded server's
 * per-collection lock hides can show. Skipped, with JUnit saying so, where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoMemberStoreTest extends MemberStoreContract {

	@Container
	static final MongoDBContainer MONGO = new MongoDBContainer("mongo:8.0");

	private static MongoDatabaseFactory factory;
	private MongoMemberStore store;
	private MongoMemberStore second;

	@BeforeEach
	void freshDatabase() {
		if (factory == null) {
			factory = EmbeddedMongo.factory(MONGO.getReplicaSetUrl());
		}
		factory.getMongoDatabase().drop();
		store = new MongoMemberStore(factory);
		second = new MongoMemberStore(factory);
	}

	@Override
	protected MemberStore store() {
		return store;
	}

	@Override
	protected MemberStore anotherNode() {
		return second;
	}
}
