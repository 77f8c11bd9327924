package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;

import io.fidelis.points.application.SettingRules;

/**
 * Challenges through the API: staff define them, members and tills see those running, each
 * member's progress follows their purchases (an order counts once), and a challenge reached pays
 * its points once, also when the purchase is sent again.
 */
class ChallengesApiTest extends ApiTest {

	@Autowired
	SettingRules rules;

	static final String DEFINE = """
			mutation($input: DefineChallengeInput!) { defineChallenge(input: $input) { challenge { id goal target rewardPoints } } }""";
	static final String RUNNING = "query($p: ID!) { challenges(programId: $p) { id name } }";
	static final String MINE = """
			query($id: ID!) { member(id: $id) { points { available } challenges { challenge { id } purchases spend stores streak
			  progress completedAt } } }""";
	static final String PURCHASE = "mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }";

	Map<String, Object> challenge(String program, String id, String goal, String target, String category) {
		Map<String, Object> input = new HashMap<>(Map.of("programId", program, "challengeId", id, "name", "Challenge " + id,
				"goal", goal, "target", target, "validFrom", Instant.now().minus(Duration.ofDays(1)).toString(), "validUntil",
				Instant.now().plus(Duration.ofDays(30)).toString(), "rewardPoints", 500));
		if (category != null) {
			input.put("category", category);
		}
		return input;
	}

	@Test
	void a_members_purchases_move_their_challenges_and_a_challenge_reached_pays_once() {
		String program = program("challenges-api");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"paris-01\", name: \"Paris\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(token("staff", "subject", "ops-1", "roles", "operator")).document(DEFINE)
				.variable("input", challenge(program, "two-coffees", "PURCHASES", "2", "coffee")).execute()
				.path("defineChallenge.challenge.id").entity(String.class).isEqualTo("two-coffees");
		graphQl(staffAdmin()).document(DEFINE).variable("input", challenge(program, "spend-50", "SPEND", "50", null)).execute()
				.path("defineChallenge.challenge.target").entity(String.class).isEqualTo("50");
		Map<String, Object> over = challenge(program, "over", "PURCHASES", "1", null);
		over.put("validUntil", Instant.now().minus(Duration.ofHours(1)).toString());
		over.put("validFrom", Instant.now().minus(Duration.ofDays(2)).toString());
		graphQl(staffAdmin()).document(DEFINE).variable("input", over).execute().path("defineChallenge.challenge.id").hasValue();

		String subject = "cara-" + key();
		String carasToken = member(subject);
		graphQl(carasToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute();
		String cara = graphQl(carasToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
		for (String token : List.of(pos(), carasToken)) {
			graphQl(token).document(RUNNING).variable("p", program).execute().path("challenges[*].id").entityList(String.class)
					.containsExactly("spend-50", "two-coffees");
		}

		Map<String, Object> first = PurchasesApiTest.purchase(program, Map.of("memberId", cara), "C-1",
				List.of(PurchasesApiTest.line("ESPRESSO", "coffee", "2", "3.00"), PurchasesApiTest.line("CAKE", "bakery", "1", "4.00")),
				"10.00");
		graphQl(pos()).document(PURCHASE).variable("input", first).execute().path("recordPurchase.pointsEarned").hasValue();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(challenges(carasToken, cara))
				.anySatisfy(c -> assertThat(c).containsEntry("purchases", 1).containsEntry("progress", "0.5")));
		graphQl(pos()).document(PURCHASE).variable("input", first).execute().path("recordPurchase.pointsEarned").hasValue();
		Map<String, Object> second = PurchasesApiTest.purchase(program, Map.of("memberId", cara), "C-2",
				List.of(PurchasesApiTest.line("LATTE", "coffee", "1", "40.00")), "40.00");
		graphQl(pos()).document(PURCHASE).variable("input", second).execute().path("recordPurchase.pointsEarned").hasValue();
		// 10 + 40 points earned by the purchases, 500 + 500 for the two challenges reached (the first purchase once)
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Map<String, Object>> mine = challenges(carasToken, cara);
			assertThat(mine).extracting(c -> String.valueOf(((Map<?, ?>) c.get("challenge")).get("id")))
					.containsExactlyInAnyOrder("spend-50", "two-coffees");
			assertThat(mine).allSatisfy(c -> assertThat(c).containsEntry("progress", "1").doesNotContainEntry("completedAt", null));
			assertThat(mine).anySatisfy(c -> assertThat(c).containsEntry("spend", "50.00").containsEntry("purchases", 2));
			assertThat(graphQl(carasToken).document(MINE).variable("id", cara).execute().path("member.points.available")
					.entity(Long.class).get()).isEqualTo(1_050L);
		});
		Map<String, Object> third = PurchasesApiTest.purchase(program, Map.of("memberId", cara), "C-3",
				List.of(PurchasesApiTest.line("MOCHA", "coffee", "1", "5.00")), "5.00");
		graphQl(pos()).document(PURCHASE).variable("input", third).execute().path("recordPurchase.pointsEarned").hasValue();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(graphQl(carasToken).document(MINE)
				.variable("id", cara).execute().path("member.points.available").entity(Long.class).get())
				.as("a challenge reached pays once").isEqualTo(1_055L));

		// refusals
		refusedWith(graphQl(pos()).document(DEFINE).variable("input", challenge(program, "x", "PURCHASES", "1", null)), "FORBIDDEN");
		refusedWith(graphQl(carasToken).document(DEFINE).variable("input", challenge(program, "x", "PURCHASES", "1", null)),
				"FORBIDDEN");
		refusedWith(graphQl(token("staff", "subject", "ops-far", "roles", "admin", "programs", "elsewhere")).document(DEFINE)
				.variable("input", challenge(program, "x", "PURCHASES", "1", null)), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", challenge("no-such-program", "x", "PURCHASES", "1",
				null)), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", challenge(program, "x", "PURCHASES", "1.5", null)),
				"VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(DEFINE).variable("input", challenge(program, "x", "STORES", "2", "coffee")),
				"VALIDATION");
		refusedWith(graphQl(member("mallory-" + key())).document(MINE).variable("id", cara), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "subject", "ops-far", "roles", "admin", "programs", "elsewhere")).document(RUNNING)
				.variable("p", program), "FORBIDDEN");
		graphQl(staffAdmin()).document(RUNNING).variable("p", program).execute().path("challenges[*].id")
				.entityList(String.class).doesNotContain("x", "over");
	}

	private List<Map<String, Object>> challenges(String token, String member) {
		return graphQl(token).document(MINE).variable("id", member).execute().path("member.challenges")
				.entity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get();
	}
}
