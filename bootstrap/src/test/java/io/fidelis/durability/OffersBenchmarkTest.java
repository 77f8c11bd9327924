package io.fidelis.durability;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.fidelis.offers.domain.Condition;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;

/**
 * How long judging one event against 1,000 active offers takes, and how fast offers are
 * assigned while tills record purchases on a node on the durable embedded store.
 */
@Tag("benchmark")
class OffersBenchmarkTest {

	static final int OFFERS = 1_000;

	@Test
	void judging_and_assignment_rate() throws Exception {
		// 1. judging, in the JVM: 1,000 offers of three conditions each against one member's facts
		Instant now = Instant.now();
		List<Offer> catalog = new ArrayList<>();
		for (int i = 0; i < OFFERS; i++) {
			catalog.add(new Offer("o" + i, "acme", "Offer " + i, Offer.Kind.BONUS, null, null, 10, 0, null, now.minusSeconds(60),
					now.plusSeconds(86_400), 1, 0, 0, i % 10, false, Set.of(), Set.of(), Set.of(), Offer.Trigger.PURCHASE,
					List.of(new Condition(Condition.Fact.SPEND_LAST_DAYS, Condition.Operator.GTE, Integer.toString(i % 200), 30),
							new Condition(Condition.Fact.BOUGHT_CATEGORY, Condition.Operator.IN, "cat" + (i % 50), null),
							new Condition(Condition.Fact.POINTS_BALANCE, Condition.Operator.GTE, Integer.toString(i), null)),
					true, now));
		}
		MemberFacts facts = MemberFacts.of("m", "acme").withConsent(true).withBalance(500, 1);
		for (int d = 0; d < 60; d++) {
			facts = facts.purchased(now.minus(Duration.ofDays(d)), new BigDecimal("12.50"), Set.of("cat" + (d % 50)), "s" + d, "FR");
		}
		int matched = 0;
		for (int warm = 0; warm < 200; warm++) {
			matched = judgeAll(catalog, facts, now);
		}
		int rounds = 500;
		long start = System.nanoTime();
		for (int r = 0; r < rounds; r++) {
			matched = judgeAll(catalog, facts, now);
		}
		double perEventMicros = (System.nanoTime() - start) / 1e3 / rounds;

		// 2. assignment rate on a node: 1,000 offers, 20 of which a purchase triggers, 8 tills buying
		Path dir = Files.createTempDirectory("fidelis-offers");
		String rate;
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), "--logging.level.root=WARN")) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 0);
			node.graphQl(session.staff, "mutation { defineStore(input: {programId: \"acme\", storeId: \"s1\", name: \"S\", region: \"FR\"}) { store { storeId } } }");
			List<String> matching = new ArrayList<>();
			for (int i = 0; i < OFFERS; i++) {
				boolean hits = i % 50 == 0;
				Map<String, Object> input = Map.of("programId", "acme", "name", "Offer " + i, "kind", "BONUS", "bonusPoints", 5,
						"trigger", "PURCHASE", "personalized", false, "validFrom", now.minusSeconds(60).toString(),
						"validUntil", now.plusSeconds(86_400).toString(),
						"conditions", List.of(Map.of("fact", "BOUGHT_CATEGORY", "operator", "IN", "value", hits ? "fuel" : "cat" + i)));
				String id = node.graphQl(session.staff, "mutation($input: OfferInput!) { createOffer(input: $input) { offer { id } } }",
						Map.of("input", input)).path("data").path("createOffer").path("offer").path("id").asString();
				if (hits) {
					matching.add(id);
				}
			}
			int members = 40;
			List<String> ids = new ArrayList<>();
			for (int m = 0; m < members; m++) {
				ids.add(FidelisNode.firstId(node.graphQl(session.pos, "mutation { enrollMember(input: {programId: \"acme\", email: \"o" + m
						+ "-" + java.util.UUID.randomUUID() + "@example.com\", name: \"M\", termsVersion: \"v1\", idempotencyKey: \"enroll-"
						+ java.util.UUID.randomUUID() + "\"}) { member { id } } }")));
			}
			long began = System.nanoTime();
			ExecutorService tills = Executors.newFixedThreadPool(8);
			List<Future<?>> work = new ArrayList<>();
			for (int m = 0; m < members; m++) {
				String member = ids.get(m);
				int n = m;
				work.add(tills.submit(() -> node.graphQl(session.pos, "mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }",
						Map.of("input", Map.of("programId", "acme", "member", Map.of("memberId", member), "orderId", "o-" + n, "store", "s1",
								"channel", "IN_STORE", "currency", "EUR", "total", "20.00",
								"lines", List.of(Map.of("sku", "SP95", "category", "fuel", "quantity", "10", "unitPrice", "2.00")))))));
			}
			for (Future<?> f : work) {
				f.get();
			}
			tills.shutdown();
			long expected = (long) members * matching.size();
			long assigned = 0;
			Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
			while (assigned < expected && Instant.now().isBefore(deadline)) {
				Thread.sleep(250);
				assigned = 0;
				for (String offer : matching) {
					assigned += node.graphQl(session.staff, "query($o: ID!) { offerPerformance(offerId: $o) { assigned } }",
							Map.of("o", offer)).path("data").path("offerPerformance").path("assigned").asLong();
				}
			}
			double seconds = (System.nanoTime() - began) / 1e9;
			rate = String.format("%d purchases from 8 tills against %d offers (%d of them triggered by each purchase): %d of %d "
					+ "assignments in %.1f s, %.0f assignments/s (each one a bonus paid into the ledger)", members, OFFERS,
					matching.size(), assigned, expected, seconds, assigned / seconds);
		}
		String judging = String.format("Judging one event against %d active offers (3 conditions each, %d matched): %.0f µs",
				OFFERS, matched, perEventMicros);
		System.out.printf("%n%s%n%s%n", judging, rate);
		BenchmarkResults.write("offers", "Offers: judging and assignment rate", "- " + judging + "\n- " + rate);
	}

	static int judgeAll(List<Offer> catalog, MemberFacts facts, Instant now) {
		int matched = 0;
		for (Offer offer : catalog) {
			if (offer.judge(facts, "IN_STORE", now).stream().allMatch(Condition.Evaluated::matched)) {
				matched++;
			}
		}
		return matched;
	}
}
