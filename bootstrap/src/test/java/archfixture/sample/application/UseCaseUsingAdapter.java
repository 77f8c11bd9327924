package archfixture.sample.application;

import archfixture.sample.adapter.out.mongo.GoodMongoAdapter;

/** Breaks the rule: a use case that depends on an adapter instead of a port. */
public class UseCaseUsingAdapter {
	GoodMongoAdapter adapter;
}
