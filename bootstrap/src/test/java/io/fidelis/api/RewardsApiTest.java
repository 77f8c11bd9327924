package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/**
 * The rewards catalog through the API with real tokens: staff define it, members and tills see
 * what can be redeemed now, a redemption takes points, a unit and a place under the member's limit
 * once per key, every refusal gives back what it took, and a refund gives everything back once.
 */
class RewardsApiTest extends ApiTest {

	@Autowired
	SettingRules rules;

	static final String DEFINE = """
			mutation($input: DefineRewardInput!) { defineReward(input: $input) { reward { id name points stock remaining
			  perMemberLimit fulfilment active availableNow cashAmount cashCurrency } } }""";
	static final String CATALOG = "query($p: ID!, $all: Boolean) { rewards(programId: $p, includeUnavailable: $all) { id remaining availableNow } }";
	static final String REDEEM = """
			mutation($input: RedeemCatalogRewardInput!) { redeemCatalogReward(input: $input) { replayed redemption { id rewardId memberId
			  points code status availableAfter redeemedAt reward { id remaining } } } }""";
	static final String REFUND = """
			mutation($id: ID!, $why: String!) { refundRewardRedemption(input: {redemptionId: $id, reason: $why}) {
			  replayed redemption { id status refundedAt refundReason } } }""";
	static final String BALANCE = "query($id: ID!) { member(id: $id) { points { available } rewardRedemptions { totalCount edges { node { id status code } } } } }";

	String setUp(String id) {
		String program = program(id);
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		return program;
	}

	Map<String, Object> reward(String program, String rewardId, long points) {
		return new HashMap<>(Map.of("programId", program, "rewardId", rewardId, "name", "Coffee " + rewardId, "points",
				points, "fulfilment", "GENERATED_CODE"));
	}

	Map<String, Object> define(Map<String, Object> reward) {
		return graphQl(staffAdmin()).document(DEFINE).variable("input", reward).execute().path("defineReward.reward")
				.entity(new ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
	}

	/** A member enrolled by the till, with {@code points} earned. */
	String memberWith(String program, long points) {
		String member = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		if (points > 0) {
			earn(member, points);
		}
		return member;
	}

	void earn(String member, long points) {
		graphQl(pos()).document("mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { availableAfter } } }")
				.variable("input", PointsApiTest.earnInput(member, points, key())).execute()
				.path("earnPoints.entry.availableAfter").hasValue();
	}

	static Map<String, Object> redemption(String member, String reward, String key) {
		return Map.of("memberId", member, "rewardId", reward, "idempotencyKey", key, "source",
				Map.of("channel", "APP", "region", "FR"));
	}

	GraphQlTester.Response redeem(String token, String member, String reward, String key) {
		return graphQl(token).document(REDEEM).variable("input", redemption(member, reward, key)).execute();
	}

	long available(String member) {
		return graphQl(staffAdmin()).document(BALANCE).variable("id", member).execute().path("member.points.available")
				.entity(Long.class).get();
	}

	Long remaining(String program, String reward) {
		List<Map<String, Object>> all = graphQl(staffAdmin()).document(CATALOG).variable("p", program).variable("all", true)
				.execute().path("rewards").entity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get();
		Object left = all.stream().filter(r -> r.get("id").equals(reward)).findFirst().orElseThrow().get("remaining");
		return left == null ? null : ((Number) left).longValue();
	}

	@Test
	void staff_define_a_catalog_and_members_and_tills_see_what_can_be_redeemed_now() {
		String program = setUp("rewards-catalog");
		Map<String, Object> coffee = reward(program, "coffee", 100);
		coffee.put("stock", 50);
		coffee.put("perMemberLimit", 2);
		coffee.put("cashAmount", "1.50");
		coffee.put("cashCurrency", "EUR");
		Map<String, Object> defined = define(coffee);
		assertThat(defined).containsEntry("remaining", 50).containsEntry("availableNow", true)
				.containsEntry("cashAmount", "1.50").containsEntry("cashCurrency", "EUR").containsEntry("perMemberLimit", 2);
		Map<String, Object> hidden = reward(program, "hidden", 10);
		hidden.put("active", false);
		define(hidden);
		Map<String, Object> later = reward(program, "later", 10);
		later.put("validFrom", Instant.now().plus(Duration.ofDays(3)).toString());
		define(later);
		Map<String, Object> unlimited = reward(program, "upgrade", 400);
		unlimited.put("fulfilment", "NONE");
		assertThat(define(unlimited)).containsEntry("remaining", null).containsEntry("stock", null);

		String memberToken = member("reader-" + key());
		for (String token : List.of(pos(), memberToken)) {
			graphQl(token).document(CATALOG).variable("p", program).execute().path("rewards[*].id").entityList(String.class)
					.containsExactly("coffee", "upgrade");
		}
		graphQl(staffAdmin()).document(CATALOG).variable("p", program).variable("all", true).execute().path("rewards[*].id")
				.entityList(String.class).containsExactly("coffee", "hidden", "later", "upgrade");
		refusedWith(graphQl(memberToken).document(CATALOG).variable("p", program).variable("all", true), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "subject", "ops-elsewhere", "roles", "admin", "programs", "elsewhere"))
				.document(CATALOG).variable("p", program), "FORBIDDEN");

		// changed: a smaller total moves the units left by the difference
		coffee.put("stock", 40);
		assertThat(define(coffee)).containsEntry("remaining", 40);

		refusedWith(graphQl(pos()).document(DEFINE).variable("input", reward(program, "till", 10)), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "subject", "ops-elsewhere", "roles", "admin", "programs", "elsewhere"))
				.document(DEFINE).variable("input", reward(program, "far", 10)), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", reward("no-such-program", "x", 10)), "NOT_FOUND");
		for (Map.Entry<String, Object> bad : List.of(Map.entry("rewardId", (Object) "a b"), Map.entry("points", (Object) 0),
				Map.entry("stock", (Object) (-1)), Map.entry("perMemberLimit", (Object) 0), Map.entry("name", (Object) " "),
				Map.entry("cashAmount", (Object) "2.00"), Map.entry("validUntil", (Object) "2020-01-01T00:00:00Z"),
				Map.entry("lowStockAt", (Object) 5))) {
			Map<String, Object> input = reward(program, "bad", 10);
			input.put(bad.getKey(), bad.getValue());
			if (bad.getKey().equals("validUntil")) {
				input.put("validFrom", "2021-01-01T00:00:00Z");
			}
			refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", input), "VALIDATION");
		}
		// a reward the ledger would never let anyone redeem
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setPointRules(input: {programId: $p, earnRates: [{currency: "EUR", pointsPerUnit: "1"}],
				  minimumRedemption: 20}) { rules { minimumRedemption } } }""").variable("p", program).execute()
				.path("setPointRules.rules.minimumRedemption").entity(Long.class).isEqualTo(20L);
		refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", reward(program, "cheap", 10)), "VALIDATION");
		graphQl(staffAdmin()).document(CATALOG).variable("p", program).variable("all", true).execute().path("rewards[*].id")
				.entityList(String.class).doesNotContain("bad", "till", "far", "cheap");
	}

	@Test
	void a_redemption_takes_points_a_unit_and_a_code_once_and_a_refund_gives_them_back_once() {
		String program = setUp("rewards-redeem");
		Map<String, Object> coffee = reward(program, "coffee", 100);
		coffee.put("stock", 2);
		define(coffee);
		define(reward(program, "tea", 50));
		String subject = "ann-" + key();
		String annsToken = member(subject);
		graphQl(annsToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute();
		String ann = graphQl(annsToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
		earn(ann, 500);

		String key = key();
		GraphQlTester.Response first = redeem(annsToken, ann, "coffee", key);
		first.path("redeemCatalogReward.replayed").entity(Boolean.class).isEqualTo(false)
				.path("redeemCatalogReward.redemption.status").entity(String.class).isEqualTo("REDEEMED")
				.path("redeemCatalogReward.redemption.availableAfter").entity(Long.class).isEqualTo(400L)
				.path("redeemCatalogReward.redemption.reward.remaining").entity(Long.class).isEqualTo(1L);
		String id = first.path("redeemCatalogReward.redemption.id").entity(String.class).get();
		String code = first.path("redeemCatalogReward.redemption.code").entity(String.class).get();
		assertThat(code).matches("[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}");

		GraphQlTester.Response again = redeem(annsToken, ann, "coffee", key);
		again.path("redeemCatalogReward.replayed").entity(Boolean.class).isEqualTo(true)
				.path("redeemCatalogReward.redemption.id").entity(String.class).isEqualTo(id)
				.path("redeemCatalogReward.redemption.code").entity(String.class).isEqualTo(code);
		refusedWith(graphQl(annsToken).document(REDEEM).variable("input", redemption(ann, "tea", key)), "IDEMPOTENCY_KEY_REUSED");
		assertThat(available(ann)).isEqualTo(400);
		assertThat(remaining(program, "coffee")).isEqualTo(1);
		graphQl(annsToken).document(BALANCE).variable("id", ann).execute().path("member.rewardRedemptions.edges[*].node.code")
				.entityList(String.class).containsExactly(code);

		// refunds: not by the member, not by another till, not of an unknown redemption
		refusedWith(graphQl(annsToken).document(REFUND).variable("id", id).variable("why", "changed my mind"), "FORBIDDEN");
		refusedWith(graphQl(token("pos", "subject", "till-2")).document(REFUND).variable("id", id).variable("why", "x"),
				"FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(REFUND).variable("id", "rr_nothing").variable("why", "x"), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(REFUND).variable("id", id).variable("why", " "), "VALIDATION");
		assertThat(available(ann)).isEqualTo(400);

		String staff = token("staff", "subject", "support-1", "roles", "support");
		graphQl(staff).document(REFUND).variable("id", id).variable("why", "machine broken").execute()
				.path("refundRewardRedemption.replayed").entity(Boolean.class).isEqualTo(false)
				.path("refundRewardRedemption.redemption.status").entity(String.class).isEqualTo("REFUNDED")
				.path("refundRewardRedemption.redemption.refundReason").entity(String.class).isEqualTo("machine broken");
		graphQl(staffAdmin()).document(REFUND).variable("id", id).variable("why", "again").execute()
				.path("refundRewardRedemption.replayed").entity(Boolean.class).isEqualTo(true);
		assertThat(available(ann)).as("the points back, once").isEqualTo(500);
		assertThat(remaining(program, "coffee")).as("the unit back, once").isEqualTo(2);
		redeem(annsToken, ann, "coffee", key).path("redeemCatalogReward.redemption.status").entity(String.class)
				.isEqualTo("REFUNDED");
		graphQl(annsToken).document(BALANCE).variable("id", ann).execute().path("member.rewardRedemptions.edges[*].node.status")
				.entityList(String.class).containsExactly("REFUNDED");

		// the till that redeemed may refund its own redemption
		String tills = redeem(pos(), ann, "tea", key()).path("redeemCatalogReward.redemption.id").entity(String.class).get();
		graphQl(pos()).document(REFUND).variable("id", tills).variable("why", "wrong drink").execute()
				.path("refundRewardRedemption.redemption.status").entity(String.class).isEqualTo("REFUNDED");
		assertThat(available(ann)).isEqualTo(500);

		// what the catalog gave today, in the program's time zone (copies and retries counted once)
		java.time.LocalDate day = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris"));
		String from = day.minusDays(1).toString(); // around midnight the redemptions and the report may fall on two days
		String to = day.plusDays(1).toString();
		String report = "query($p: ID!, $from: Date!, $to: Date!) { rewardReport(programId: $p, from: $from, to: $to) { "
				+ "redemptions pointsSpent refunds pointsRefunded rewards { rewardId name redemptions pointsSpent refunds remaining } } }";
		GraphQlTester.Response figures = graphQl(token("staff", "subject", "analyst-1", "roles", "analyst")).document(report)
				.variable("p", program).variable("from", from).variable("to", to).execute();
		figures.path("rewardReport.redemptions").entity(Integer.class).isEqualTo(2)
				.path("rewardReport.pointsSpent").entity(Long.class).isEqualTo(150L)
				.path("rewardReport.refunds").entity(Integer.class).isEqualTo(2)
				.path("rewardReport.pointsRefunded").entity(Long.class).isEqualTo(150L)
				.path("rewardReport.rewards[*].rewardId").entityList(String.class).containsExactly("coffee", "tea")
				.path("rewardReport.rewards[0].remaining").entity(Long.class).isEqualTo(2L)
				.path("rewardReport.rewards[0].name").entity(String.class).isEqualTo("Coffee coffee");
		refusedWith(graphQl(annsToken).document(report).variable("p", program).variable("from", from).variable("to", to),
				"FORBIDDEN");
		refusedWith(graphQl(pos()).document(report).variable("p", program).variable("from", from).variable("to", to),
				"FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(report).variable("p", program).variable("from", "2025-01-01")
				.variable("to", "2026-12-31"), "VALIDATION");
	}

	@Test
	void every_refusal_is_told_and_gives_back_what_it_took() {
		String program = setUp("rewards-refusals");
		Map<String, Object> last = reward(program, "last-one", 100);
		last.put("stock", 1);
		define(last);
		Map<String, Object> once = reward(program, "once", 10);
		once.put("perMemberLimit", 1);
		define(once);
		Map<String, Object> costly = reward(program, "costly", 1_000);
		costly.put("stock", 3);
		costly.put("perMemberLimit", 1);
		define(costly);
		Map<String, Object> off = reward(program, "off", 10);
		off.put("active", false);
		define(off);
		Map<String, Object> over = reward(program, "over", 10);
		over.put("validFrom", "2020-01-01T00:00:00Z");
		over.put("validUntil", "2021-01-01T00:00:00Z");
		define(over);
		String ann = memberWith(program, 500);
		String bob = memberWith(program, 500);

		redeem(pos(), ann, "last-one", key()).path("redeemCatalogReward.redemption.status").entity(String.class).isEqualTo("REDEEMED");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(bob, "last-one", key())), "CONFLICT");

		redeem(pos(), ann, "once", key()).path("redeemCatalogReward.redemption.status").entity(String.class).isEqualTo("REDEEMED");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "once", key())), "CONFLICT");
		redeem(pos(), bob, "once", key()).path("redeemCatalogReward.redemption.status").entity(String.class).isEqualTo("REDEEMED");

		// not enough points: refused with the unit and the place given back, and the same again on a retry
		long before = available(bob);
		String poor = key();
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(bob, "costly", poor)), "INSUFFICIENT_POINTS");
		assertThat(remaining(program, "costly")).isEqualTo(3);
		earn(bob, 1_000);
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(bob, "costly", poor)), "INSUFFICIENT_POINTS");
		// the place under the limit went back
		redeem(pos(), bob, "costly", key()).path("redeemCatalogReward.redemption.status").entity(String.class).isEqualTo("REDEEMED");
		assertThat(available(bob)).isEqualTo(before + 1_000 - 1_000);
		assertThat(remaining(program, "costly")).isEqualTo(2);

		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "off", key())), "CONFLICT");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "over", key())), "CONFLICT");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "nothing-such", key())), "NOT_FOUND");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption("m_nobody", "once", key())), "NOT_FOUND");
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "once", "short")), "VALIDATION");
		refusedWith(graphQl(token("pos", "subject", "pos-far", "programs", "elsewhere")).document(REDEEM)
				.variable("input", redemption(ann, "once", key())), "FORBIDDEN");
		refusedWith(graphQl(member("mallory-" + key())).document(REDEEM).variable("input", redemption(ann, "once", key())),
				"FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(REDEEM).variable("input", redemption(ann, "once", key())), "FORBIDDEN");
		refusedWith(graphQl(null).document(REDEEM).variable("input", redemption(ann, "once", key())), "UNAUTHENTICATED");

		graphQl(staffAdmin()).document(MemberLifecycleApiTest.STATUS).variable("id", ann).variable("s", "SUSPENDED").execute()
				.path("changeMemberStatus.member.status").entity(String.class).isEqualTo("SUSPENDED");
		Map<String, Object> more = reward(program, "more", 10);
		define(more);
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(ann, "more", key())), "CONFLICT");
		assertThat(available(ann)).isEqualTo(500 - 100 - 10);
	}

	static final String IMPORT = """
			mutation($p: ID!, $r: ID!, $codes: String!) { importRewardCodes(input: {programId: $p, rewardId: $r, codes: $codes}) {
			  added alreadyInPool poolSize } }""";

	@Test
	void a_pool_reward_hands_out_the_imported_codes_once_each() {
		String program = setUp("rewards-pool");
		Map<String, Object> cinema = reward(program, "cinema", 10);
		cinema.put("fulfilment", "POOL");
		assertThat(define(cinema)).containsEntry("remaining", 0).containsEntry("stock", null);
		define(reward(program, "coffee", 10));
		String csv = "code\nCIN-0001\nCIN-0002, row 2\n\nCIN-0003\nCIN-0002\n";

		refusedWith(graphQl(pos()).document(IMPORT).variable("p", program).variable("r", "cinema").variable("codes", csv),
				"FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "coffee").variable("codes", csv),
				"CONFLICT");
		refusedWith(graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "nothing").variable("codes", csv),
				"NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "cinema")
				.variable("codes", "CIN-0009\nnot a code!\n"), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "cinema").variable("codes", "code\n"),
				"VALIDATION");
		refusedWith(graphQl(token("staff", "subject", "ops-elsewhere", "roles", "admin", "programs", "elsewhere"))
				.document(IMPORT).variable("p", program).variable("r", "cinema").variable("codes", csv), "FORBIDDEN");
		assertThat(remaining(program, "cinema")).as("nothing imported by a refused import").isZero();

		graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "cinema").variable("codes", csv).execute()
				.path("importRewardCodes.added").entity(Integer.class).isEqualTo(3)
				.path("importRewardCodes.poolSize").entity(Long.class).isEqualTo(3L);
		graphQl(staffAdmin()).document(IMPORT).variable("p", program).variable("r", "cinema").variable("codes", csv).execute()
				.path("importRewardCodes.added").entity(Integer.class).isEqualTo(0)
				.path("importRewardCodes.alreadyInPool").entity(Integer.class).isEqualTo(3);

		List<String> codes = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			GraphQlTester.Response r = redeem(pos(), memberWith(program, 100), "cinema", key());
			codes.add(r.path("redeemCatalogReward.redemption.code").entity(String.class).get());
			ids.add(r.path("redeemCatalogReward.redemption.id").entity(String.class).get());
		}
		assertThat(codes).containsExactlyInAnyOrder("CIN-0001", "CIN-0002", "CIN-0003");
		String late = memberWith(program, 100);
		refusedWith(graphQl(pos()).document(REDEEM).variable("input", redemption(late, "cinema", key())), "CONFLICT");
		assertThat(available(late)).isEqualTo(100);

		// a refunded code goes back to the pool, and to the next member
		graphQl(staffAdmin()).document(REFUND).variable("id", ids.get(1)).variable("why", "never used").execute()
				.path("refundRewardRedemption.redemption.status").entity(String.class).isEqualTo("REFUNDED");
		redeem(pos(), late, "cinema", key()).path("redeemCatalogReward.redemption.code").entity(String.class)
				.isEqualTo(codes.get(1));
		assertThat(remaining(program, "cinema")).isZero();
	}

	@Test
	void many_members_and_copies_at_once_never_get_more_than_the_stock() throws Exception {
		String program = setUp("rewards-race");
		Map<String, Object> few = reward(program, "few", 10);
		few.put("stock", 5);
		define(few);
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			members.add(memberWith(program, 100));
		}
		String copied = key();
		String token = pos();
		ExecutorService pool = Executors.newFixedThreadPool(13);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Map<String, Object>>> answers = new ArrayList<>();
			for (int i = 0; i < 13; i++) {
				String member = members.get(Math.min(i, 9));
				String key = i >= 9 ? copied : key(); // the last member's request, four copies of it
				answers.add(pool.submit(() -> {
					start.await();
					return graphQl(token).document(REDEEM).variable("input", redemption(member, "few", key)).execute()
							.returnResponse().toMap();
				}));
			}
			start.countDown();
			int redeemed = 0;
			int soldOut = 0;
			List<String> copies = new ArrayList<>();
			for (int i = 0; i < answers.size(); i++) {
				Map<String, Object> answer = answers.get(i).get(60, TimeUnit.SECONDS);
				if (answer.get("errors") == null) {
					@SuppressWarnings("unchecked")
					Map<String, Object> payload = (Map<String, Object>) ((Map<String, Object>) answer.get("data")).get("redeemCatalogReward");
					@SuppressWarnings("unchecked")
					Map<String, Object> r = (Map<String, Object>) payload.get("redemption");
					if (i >= 9) {
						copies.add(r.get("id") + "|" + payload.get("replayed"));
					}
					else {
						redeemed++;
					}
				}
				else {
					assertThat(answer.toString()).contains("CONFLICT").contains("sold out");
					soldOut++;
				}
			}
			long copiesRedeemed = copies.stream().map(c -> c.split("\\|")[0]).distinct().count();
			assertThat(copies.stream().filter(c -> c.endsWith("|false"))).as("one copy redeems, the others replay").hasSizeLessThanOrEqualTo(1);
			assertThat(copiesRedeemed).isLessThanOrEqualTo(1);
			assertThat(redeemed + copiesRedeemed).as("every unit handed out once").isEqualTo(5);
			assertThat(soldOut).isEqualTo(13 - redeemed - copies.size());
			assertThat(remaining(program, "few")).isZero();
			long spent = members.stream().mapToLong(m -> 100 - available(m)).sum();
			assertThat(spent).as("points taken once per unit").isEqualTo(5 * 10);
		}
		finally {
			pool.shutdownNow();
		}
	}
}
