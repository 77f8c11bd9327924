package io.fidelis.members.adapter.out.mongo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.fidelis.members.application.MemberStore;
import io.fidelis.members.application.MemberStoreContract;

/** The member store contract against the embedded server that Fidelis runs by default. */
class EmbeddedMongoMemberStoreTest extends MemberStoreContract {

	private static EmbeddedMongo mongo;
	private MongoMemberStore store;
	private MongoMemberStore second;

	@BeforeAll
	static void start() {
		mongo = new EmbeddedMongo();
	}

	@AfterAll
	static void stop() {
		mongo.close();
	}

	@BeforeEach
	void freshDatabase() {
		mongo.factory.getMongoDatabase().drop();
		store = new MongoMemberStore(mongo.factory);
		second = new MongoMemberStore(mongo.factory);
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
