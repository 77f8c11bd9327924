package archfixture.sample.application;

import com.mongodb.client.MongoCollection;

/** Breaks the rule: a use case that talks to the MongoDB driver itself. */
public class UseCaseUsingMongo {
	MongoCollection<?> collection;
}
