package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/** The points API over HTTP with real tokens: every mutation, the account view, and every refusal. */
class PointsApiTest extends ApiTest {

	static final String EARN = """
			mutation($input: EarnPointsInput!) { earnPoints(input: $input) {
			  replayed dryRun entry { sequence type delta availableAfter pendingAfter transactionId channel region store } } }""";
	static final String REDEEM = """
			mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) {
			  replayed dryRun entry { sequence type delta availableAfter } } }""";
	static final String ACCOUNT = """
			query($id: ID!) { member(id: $id) { points { available pending lifetimeEarned lifetimeRedeemed version
			  expiringSoon(days: 400) { points expiresAt } } } }""";

	@Autowired
	SettingRules rules;

	String program;
	String carol;
	String carolsToken;

	@BeforeEach
	void aMemberOfAProgramWithRules() {
		program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		graphQl(staffAdmin()).document("""
				mutation { setPointRules(input: {programId: "acme", earnRates: [{currency: "EUR", pointsPerUnit: "1.5",
				  rounding: DOWN}, {currency: "USD", pointsPerUnit: "1"}], minimumRedemption: 10, expiry: ROLLING_MONTHS,
				  expiryMonths: 12, returns: WITHIN_BALANCE}) { rules { programId minimumRedemption expiry expiryMonths } } }""")
				.execute().path("setPointRules.rules.minimumRedemption").entity(Long.class).isEqualTo(10L);
		String subject = "carol-" + key();
		carolsToken = member(subject);
		graphQl(carolsToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute();
		carol = graphQl(carolsToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
	}

	static Map<String, Object> earnInput(String member, Object amountOrPoints, String key) {
		Map<String, Object> input = new HashMap<>(Map.of("memberId", member, "transactionId", "receipt-" + key,
				"idempotencyKey", key, "source", Map.of("channel", "IN_STORE", "region", "fr", "store", "paris-01")));
		if (amountOrPoints instanceof String amount) {
			input.put("amount", amount);
			input.put("currency", "EUR");
		}
		else {
			input.put("points", amountOrPoints);
		}
		return input;
	}

	static Map<String, Object> redeemInput(String member, long points, String key) {
		return new HashMap<>(Map.of("memberId", member, "points", points, "idempotencyKey", key, "source",
				Map.of("channel", "APP"), "reason", "coffee"));
	}

	@Test
	void a_rounding_that_is_not_one_is_refused_and_the_rules_stay() {
		String rules = "mutation($r: [EarnRateInput!]!) { setPointRules(input: {programId: \"acme\", earnRates: $r}) { rules { programId } } }";
		refusedWith(graphQl(staffAdmin()).document(rules)
				.variable("r", java.util.List.of(Map.of("currency", "EUR", "pointsPerUnit", "2", "rounding", "SIDEWAYS"))), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(rules)
				.variable("r", java.util.List.of(Map.of("currency", "EUR", "pointsPerUnit", "2", "rounding", "half_up"))), "VALIDATION");
		graphQl(staffAdmin()).document("query { pointRules(programId: \"acme\") { minimumRedemption earnRates { currency pointsPerUnit rounding } } }")
				.execute().path("pointRules.minimumRedemption").entity(Long.class).isEqualTo(10L)
				.path("pointRules.earnRates[?(@.currency == 'EUR')].rounding").entityList(String.class).containsExactly("DOWN")
				.path("pointRules.earnRates[?(@.currency == 'EUR')].pointsPerUnit").entityList(String.class).containsExactly("1.5");
	}

	@Test
	void aTillEarnsFromMoneyTheMemberRedeemsAndEverythingShowsOnTheAccount() {
		String key = key();
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, "42.99", key)).execute()
				.path("earnPoints.entry.type").entity(String.class).isEqualTo("EARNED")
				.path("earnPoints.entry.delta").entity(Long.class).isEqualTo(64L) // 42.99 × 1.5, rounded down
				.path("earnPoints.entry.region").entity(String.class).isEqualTo("FR")
				.path("earnPoints.entry.store").entity(String.class).isEqualTo("paris-01")
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(false);
		// the same request again changes nothing
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, "42.99", key)).execute()
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(true)
				.path("earnPoints.entry.availableAfter").entity(Long.class).isEqualTo(64L);

		// a dry run says what would happen, and nothing happens
		graphQl(carolsToken).document(REDEEM).variable("input", dryRun(redeemInput(carol, 50, key()))).execute()
				.path("redeemPoints.dryRun").entity(Boolean.class).isEqualTo(true)
				.path("redeemPoints.entry.availableAfter").entity(Long.class).isEqualTo(14L);
		graphQl(carolsToken).document(REDEEM).variable("input", redeemInput(carol, 50, key())).execute()
				.path("redeemPoints.entry.availableAfter").entity(Long.class).isEqualTo(14L);

		graphQl(carolsToken).document(ACCOUNT).variable("id", carol).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(14L)
				.path("member.points.lifetimeEarned").entity(Long.class).isEqualTo(64L)
				.path("member.points.lifetimeRedeemed").entity(Long.class).isEqualTo(50L)
				.path("member.points.version").entity(Long.class).isEqualTo(2L)
				.path("member.points.expiringSoon[0].points").entity(Long.class).isEqualTo(14L);
	}

	@Autowired
	org.springframework.data.mongodb.MongoDatabaseFactory store;

	/**
	 * An idempotency key is kept for fidelis.points.idempotency-retention (7 days) by a TTL index:
	 * within it a retry answers the first result; once the store has removed the claim, the key is
	 * new again. The claim is aged here by hand; the store's own sweep removes it.
	 */
	@Test
	void aKeyAnswersItsFirstResultUntilTheRetentionHasPassedAndIsNewAfter() {
		var claims = store.getMongoDatabase().getCollection("points_requests");
		assertThat(claims.listIndexes().into(new java.util.ArrayList<>())).anySatisfy(index -> {
			assertThat(index.getString("name")).isEqualTo("at_retention");
			assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isEqualTo(7 * 24 * 3600L);
		});
		String key = key();
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, 10, key)).execute()
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(false);
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, 10, key)).execute()
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(true)
				.path("earnPoints.entry.availableAfter").entity(Long.class).isEqualTo(10L);

		var claim = com.mongodb.client.model.Filters.regex("_id", "\\|" + java.util.regex.Pattern.quote(key) + "$");
		assertThat(claims.find(claim).first().getDate("at")).isCloseTo(new java.util.Date(), 60_000);
		claims.updateOne(claim, com.mongodb.client.model.Updates.set("at",
				java.util.Date.from(java.time.Instant.now().minus(Duration.ofDays(7)).minusSeconds(120))));
		await().atMost(Duration.ofSeconds(20)).until(() -> claims.find(claim).first() == null);

		graphQl(pos()).document(EARN).variable("input", earnInput(carol, 10, key)).execute()
				.path("earnPoints.replayed").entity(Boolean.class).isEqualTo(false)
				.path("earnPoints.entry.availableAfter").entity(Long.class).isEqualTo(20L);
	}

	@Test
	void historyIsARelayConnectionFilteredByTypeAndPagedByCursor() {
		for (int i = 0; i < 5; i++) {
			graphQl(pos()).document(EARN).variable("input", earnInput(carol, 20 + i, key())).execute();
		}
		graphQl(pos()).document(REDEEM).variable("input", redeemInput(carol, 15, key())).execute();
		String page = "query($id: ID!, $after: String) { member(id: $id) { points { history(first: 2, after: $after, "
				+ "types: [EARNED]) { edges { cursor node { sequence type delta } } pageInfo { hasNextPage endCursor } } } } }";

		GraphQlTester.Response first = graphQl(staffAdmin()).document(page).variable("id", carol).execute();
		first.path("member.points.history.edges[*].node.delta").entityList(Long.class).containsExactly(24L, 23L);
		first.path("member.points.history.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String after = first.path("member.points.history.pageInfo.endCursor").entity(String.class).get();

		graphQl(staffAdmin()).document(page).variable("id", carol).variable("after", after).execute()
				.path("member.points.history.edges[*].node.delta").entityList(Long.class).containsExactly(22L, 21L);
		graphQl(staffAdmin()).document(page).variable("id", carol).variable("after", "garbage").execute().errors()
				.expect(e -> "VALIDATION".equals(e.getExtensions().get("code"))).verify();
	}

	@Test
	void staffAdjustWithAReasonRefundsReverseAndMembersTransfer() {
		String dave = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		Map<String, Object> purchase = earnInput(carol, 100L, key());
		graphQl(pos()).document(EARN).variable("input", purchase).execute();

		graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $k: String!) { adjustPoints(input: {memberId: $id, points: 25, reason: "goodwill",
				  idempotencyKey: $k}) { entry { type delta reason } } }""").variable("id", carol).variable("k", key())
				.execute().path("adjustPoints.entry.delta").entity(Long.class).isEqualTo(25L);
		graphQl(pos()).document("""
				mutation($id: ID!, $tx: String!, $k: String!) { reverseTransaction(input: {memberId: $id, transactionId: $tx,
				  points: 40, idempotencyKey: $k}) { entry { type delta } } }""").variable("id", carol)
				.variable("tx", purchase.get("transactionId")).variable("k", key()).execute()
				.path("reverseTransaction.entry.delta").entity(Long.class).isEqualTo(-40L);
		graphQl(carolsToken).document("""
				mutation($from: ID!, $to: ID!, $k: String!) { transferPoints(input: {fromMemberId: $from, toMemberId: $to,
				  points: 30, idempotencyKey: $k}) { entry { type delta counterpartMemberId } } }""")
				.variable("from", carol).variable("to", dave).variable("k", key()).execute()
				.path("transferPoints.entry.counterpartMemberId").entity(String.class).isEqualTo(dave);

		graphQl(staffAdmin()).document(ACCOUNT).variable("id", carol).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(55L);
		graphQl(staffAdmin()).document(ACCOUNT).variable("id", dave).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(30L);
	}

	@Test
	void everyCallerWhoMayNotIsRefused() {
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, 100L, key())).execute();
		String mallory = member("mallory-" + key());
		String adjust = "mutation($id: ID!) { adjustPoints(input: {memberId: $id, points: 5, reason: \"x\", "
				+ "idempotencyKey: \"k-12345678\"}) { entry { delta } } }";

		refused(graphQl(null).document(EARN).variable("input", earnInput(carol, 10L, key())), "UNAUTHENTICATED");
		refused(graphQl(carolsToken).document(EARN).variable("input", earnInput(carol, 10L, key())), "FORBIDDEN");
		refused(graphQl(staffAdmin()).document(EARN).variable("input", earnInput(carol, 10L, key())), "FORBIDDEN");
		refused(graphQl(token("pos", "scope", "points:read")).document(EARN)
				.variable("input", earnInput(carol, 10L, key())), "FORBIDDEN");
		refused(graphQl(mallory).document(REDEEM).variable("input", redeemInput(carol, 10, key())), "FORBIDDEN");
		refused(graphQl(pos()).document(adjust).variable("id", carol), "FORBIDDEN");
		refused(graphQl(carolsToken).document(adjust).variable("id", carol), "FORBIDDEN");
		refused(graphQl(token("staff", "roles", "analyst")).document(adjust).variable("id", carol), "FORBIDDEN");
		refused(graphQl(carolsToken).document("""
				mutation { reverseTransaction(input: {memberId: "x", transactionId: "t", idempotencyKey: "k-12345678"}) {
				  entry { delta } } }"""), "FORBIDDEN");
		refused(graphQl(pos()).document("""
				mutation { setPointRules(input: {programId: "acme", earnRates: [{currency: "EUR", pointsPerUnit: "9"}]}) { rules {
				  programId } } }"""), "FORBIDDEN");
		refused(graphQl(mallory).document(ACCOUNT).variable("id", carol),
				"FORBIDDEN");

		graphQl(staffAdmin()).document(ACCOUNT).variable("id", carol).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(100L);
	}

	@Test
	void badInputGetsAClearCodeAndChangesNothing() {
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, 100L, key())).execute();
		String pos = pos();

		refused(graphQl(pos).document(EARN).variable("input", earnInput("m_nobody", 10L, key())), "NOT_FOUND");
		Map<String, Object> gbp = earnInput(carol, "10.00", key());
		gbp.put("currency", "GBP");
		refused(graphQl(pos).document(EARN).variable("input", gbp), "VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, 0L, key())), "VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, -5L, key())), "VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, 9_000_000_000_000_000L, key())),
				"VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, "-3", key())), "VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, "lots", key())), "VALIDATION");
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, "0.10", key())), "VALIDATION");
		Map<String, Object> lowerCase = earnInput(carol, "10.00", key());
		lowerCase.put("currency", "eur"); // a Currency is ISO 4217 in capitals
		refused(graphQl(pos).document(EARN).variable("input", lowerCase), "VALIDATION");
		Map<String, Object> notACurrency = earnInput(carol, "10.00", key());
		notACurrency.put("currency", "EURO");
		refused(graphQl(pos).document(EARN).variable("input", notACurrency), "VALIDATION");
		refused(graphQl(pos).document(REDEEM).variable("input", redeemInput(carol, 101, key())), "INSUFFICIENT_POINTS");
		refused(graphQl(pos).document(REDEEM).variable("input", redeemInput(carol, 5, key())), "VALIDATION");
		refused(graphQl(pos).document("""
				mutation($id: ID!) { reverseTransaction(input: {memberId: $id, transactionId: "never-bought",
				  idempotencyKey: "k-unknown-tx"}) { entry { delta } } }""").variable("id", carol), "NOT_FOUND");
		String key = key();
		graphQl(pos).document(EARN).variable("input", earnInput(carol, 1L, key)).execute();
		refused(graphQl(pos).document(EARN).variable("input", earnInput(carol, 2L, key)), "IDEMPOTENCY_KEY_REUSED");
		// another receipt is other input, whatever the letter case
		Map<String, Object> otherCase = earnInput(carol, 1L, key);
		otherCase.put("transactionId", ("receipt-" + key).toUpperCase(java.util.Locale.ROOT));
		refused(graphQl(pos).document(EARN).variable("input", otherCase), "IDEMPOTENCY_KEY_REUSED");

		graphQl(staffAdmin()).document(ACCOUNT).variable("id", carol).execute()
				.path("member.points.available").entity(Long.class).isEqualTo(101L)
				.path("member.points.version").entity(Long.class).isEqualTo(2L);
	}

	@Test
	void a_decimal_comes_as_a_string_or_a_number_and_answers_as_a_string() {
		Map<String, Object> asNumber = earnInput(carol, "x", key());
		asNumber.put("amount", new java.math.BigDecimal("20.00")); // a JSON number: 20.00 EUR × 1.5 = 30 points
		graphQl(pos()).document(EARN).variable("input", asNumber).execute()
				.path("earnPoints.entry.delta").entity(Long.class).isEqualTo(30L);
		graphQl(pos()).document(EARN).variable("input", earnInput(carol, "10.50", key())).execute()
				.path("earnPoints.entry.delta").entity(Long.class).isEqualTo(15L); // 15.75, rounded DOWN
		graphQl(staffAdmin()).document("query($p: ID!) { pointRules(programId: $p) { earnRates { currency pointsPerUnit } } }")
				.variable("p", program).execute()
				.path("pointRules.earnRates[?(@.currency == 'EUR')].pointsPerUnit").entityList(String.class).containsExactly("1.5");
		// each scalar says where it is specified (one __type per request: more is refused as bad-faith introspection)
		Map.of("Date", "https://scalars.graphql.org/andimarek/local-date", "Currency",
				"https://www.iso.org/iso-4217-currency-codes.html", "DateTime", "https://scalars.graphql.org/andimarek/date-time")
				.forEach((scalar, url) -> graphQl(staffAdmin()).document("query($n: String!) { __type(name: $n) { specifiedByURL } }")
						.variable("n", scalar).execute().path("__type.specifiedByURL").entity(String.class).isEqualTo(url));
	}

	private static Map<String, Object> dryRun(Map<String, Object> input) {
		input.put("dryRun", true);
		return input;
	}

	private static void refused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty()
				.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
