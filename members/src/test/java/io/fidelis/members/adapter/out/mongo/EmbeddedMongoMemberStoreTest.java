package io.fidelis.members.adapter.out.mongo;

import org.junit.jupiter.api.BeforeEach;

import io.fidelis.members.application.MemberStore;
import io.fidelis.members.application.MemberStoreContract;

/** The member store contract against the embedded server that Fidelis runs by default. */
class EmbeddedMongoMemberStoreTest extends MemberStoreContract {

	@org.junit.jupiter.api.extension.RegisterExtension
	static final EmbeddedMongo mongo = new EmbeddedMongo();

	private MongoMemberStore store;
	private MongoMemberStore second;

	@BeforeEach
	void freshDatabase() {
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
