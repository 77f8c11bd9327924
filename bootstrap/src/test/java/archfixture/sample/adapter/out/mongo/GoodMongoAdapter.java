package archfixture.sample.adapter.out.mongo;

import com.mongodb.client.MongoCollection;

/** Keeps the rules: the driver in a Mongo adapter. */
public class GoodMongoAdapter {
	MongoCollection<?> collection;
}
