package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;


import io.fidelis.points.domain.PointRules;

/** Rules are read once a second per program and node, and a change on this node is seen at once. */
class MongoRuleBookTest {

	EmbeddedStore store;
	SimpleMongoClientDatabaseFactory factory;
	final AtomicLong now = new AtomicLong();

	@BeforeEach
	void connect() {
		store = new EmbeddedStore();
		factory = store.database("points_rules_test");
	}

	@AfterEach
	void stop() {
		store.close();
	}

	private static PointRules minimum(long points) {
		PointRules r = MongoAccountStoreTest.RULES;
		return new PointRules(r.programId(), r.timeZone(), r.earnRates(), points, r.pendingDays(), r.expiry(), r.returns(),
				r.membersMayRedeem(), r.channels());
	}

	@Test
	void a_change_on_this_node_is_seen_at_once() {
		MongoRuleBook book = new MongoRuleBook(factory, now::get);
		book.addIfAbsent(minimum(1));
		assertThat(book.find("acme")).map(PointRules::minimumRedemption).contains(1L);

		book.replace(minimum(50));

		assertThat(book.find("acme")).map(PointRules::minimumRedemption).contains(50L);
	}

	@Test
	void another_nodes_change_is_seen_once_the_remembered_rules_are_a_second_old() {
		MongoRuleBook here = new MongoRuleBook(factory, now::get);
		MongoRuleBook there = new MongoRuleBook(factory, now::get);
		here.addIfAbsent(minimum(1));
		assertThat(here.find("acme")).map(PointRules::minimumRedemption).contains(1L);

		there.replace(minimum(50));

		assertThat(here.find("acme")).as("remembered, not read again").map(PointRules::minimumRedemption).contains(1L);
		now.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(here.find("acme")).map(PointRules::minimumRedemption).contains(50L);
	}

	@Test
	void a_program_without_rules_is_asked_again_every_time() {
		MongoRuleBook book = new MongoRuleBook(factory, now::get);
		assertThat(book.find("acme")).isEmpty();

		new MongoRuleBook(factory, now::get).addIfAbsent(minimum(7));

		assertThat(book.find("acme")).map(PointRules::minimumRedemption).contains(7L);
	}
}
