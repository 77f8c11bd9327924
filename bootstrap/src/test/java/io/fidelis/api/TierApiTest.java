package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.points.application.SettingRules;

/** Tiers follow the points in real time, with progress; staff set ladders and manual tiers. */
class TierApiTest extends ApiTest {

	static final String TIER = "query($id: ID!) { member(id: $id) { tier { name qualifying nextTier missing progress } } }";

	@Autowired
	SettingRules rules;

	String program;
	String gina;
	String ginasToken;

	@BeforeEach
	void aProgramWithALadder() {
		program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		graphQl(staffAdmin()).document("""
				mutation { setTierLadder(input: {programId: "acme", tiers: [{name: "Silver", threshold: 500},
				  {name: "Gold", threshold: 1000}, {name: "Platinum", threshold: 5000}], metric: POINTS_EARNED,
				  windowMonths: 12, graceDays: 30}) { ladder { tiers { name threshold } } } }""").execute()
				.path("setTierLadder.ladder.tiers[0].name").entity(String.class).isEqualTo("Silver");
		ginasToken = member("gina-" + key());
		graphQl(ginasToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute();
		gina = graphQl(ginasToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
	}

	void earn(long points) {
		earn(gina, points);
	}

	void earn(String member, long points) {
		Map<String, Object> input = new HashMap<>(Map.of("memberId", member, "points", points, "transactionId", key(),
				"idempotencyKey", key(), "source", Map.of("channel", "ONLINE")));
		graphQl(pos()).document("mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { delta } } }")
				.variable("input", input).execute();
	}

	@Test
	void earningPointsUpgradesTheMemberAndShowsTheWayToTheNextTier() {
		graphQl(ginasToken).document(TIER).variable("id", gina).execute()
				.path("member.tier.name").valueIsNull()
				.path("member.tier.progress").entity(String.class).isEqualTo("500 points to Silver");
		earn(680);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(ginasToken).document(TIER).variable("id", gina)
				.execute().path("member.tier.name").entity(String.class).isEqualTo("Silver")
				.path("member.tier.progress").entity(String.class).isEqualTo("320 points to Gold"));
	}

	@Test
	void aPageOfMembersShowsEachOnesTier() {
		String family = new java.util.Random().ints(8, 'a', 'z' + 1)
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
		Map<String, Long> earned = Map.of("Ann", 1_200L, "Ben", 600L, "Cat", 0L);
		Map<String, String> ids = new HashMap<>();
		earned.forEach((first, points) -> {
			Map<String, Object> input = new HashMap<>(enrollment(program, key() + "@example.com", key()));
			input.put("name", family + " " + first);
			String id = graphQl(pos()).document(ENROLL).variable("input", input).execute()
					.path("enrollMember.member.id").entity(String.class).get();
			ids.put(id, first);
			if (points > 0) {
				earn(id, points);
			}
		});
		Map<String, String> expected = Map.of("Ann", "Gold", "Ben", "Silver", "Cat", "none");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			var edges = graphQl(staffAdmin()).document("""
					query($p: ID!, $q: String!) { searchMembers(programId: $p, namePrefix: $q, first: 10) {
					  edges { node { id tier { name qualifying } } } } }""").variable("p", program).variable("q", family)
					.execute().path("searchMembers.edges[*].node").entityList(Map.class).get();
			Map<String, String> tiers = new HashMap<>();
			for (Map<?, ?> node : edges) {
				Map<?, ?> tier = (Map<?, ?>) node.get("tier");
				tiers.put(ids.get((String) node.get("id")), tier.get("name") == null ? "none" : (String) tier.get("name"));
			}
			assertThat(tiers).isEqualTo(expected);
		});
	}

	@Test
	void aLadderOnMoneySpentCountsWhatTheTillReported() {
		graphQl(staffAdmin()).document("mutation { setTierLadder(input: {programId: \"acme\", tiers: [{name: \"Gold\", "
				+ "threshold: 100}], metric: MONEY_SPENT, currency: \"EUR\"}) { ladder { currency } } }").execute()
				.path("setTierLadder.ladder.currency").entity(String.class).isEqualTo("EUR");
		Map<String, Object> input = new HashMap<>(Map.of("memberId", gina, "amount", "60.00", "currency", "EUR",
				"transactionId", key(), "idempotencyKey", key(), "source", Map.of("channel", "ONLINE")));
		graphQl(pos()).document("mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { delta } } }")
				.variable("input", input).execute();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(ginasToken).document(TIER).variable("id", gina)
				.execute().path("member.tier.progress").entity(String.class).isEqualTo("40 EUR to Gold"));
	}

	@Test
	void staffAssignATierUntilADateAndOnlyStaffAdminsSetLadders() {
		graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $until: DateTime!) { assignTier(input: {memberId: $id, tier: "Gold", until: $until}) { tier {
				  name manualUntil } } }""").variable("id", gina)
				.variable("until", Instant.now().plus(Duration.ofDays(30)).toString()).execute()
				.path("assignTier.tier.name").entity(String.class).isEqualTo("Gold");

		String ladder = "mutation { setTierLadder(input: {programId: \"acme\", tiers: [{name: \"X\", threshold: 1}]}) "
				+ "{ ladder { programId } } }";
		for (String token : new String[] { pos(), ginasToken, token("staff", "roles", "operator") }) {
			graphQl(token).document(ladder).execute().errors()
					.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
							.containsEntry("code", "FORBIDDEN")));
		}
		graphQl(ginasToken).document("""
				mutation($id: ID!) { assignTier(input: {memberId: $id, tier: "Platinum", until: "2099-01-01T00:00:00Z"}) { tier {
				  name } } }""").variable("id", gina).execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "FORBIDDEN")));
		graphQl(staffAdmin()).document("""
				mutation($id: ID!) { assignTier(input: {memberId: $id, tier: "Diamond", until: "2099-01-01T00:00:00Z"}) { tier {
				  name } } }""").variable("id", gina).execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "VALIDATION")));
	}
}
