package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/** Export, erase and deactivate: each its own operation, each with its callers. */
class PrivacyApiTest extends ApiTest {

	static final String EXPORT = """
			query($id: ID!) { exportMemberData(memberId: $id) { memberId programId exportedAt
			  member { name email phone externalId cardNumber status channel enrolledAt birthDate enrolledBy referredBy
			    consent { marketingOptIn termsVersion recordedAt } }
			  points { available pending lifetimeEarned } ledger { sequence type delta reason transactionId }
			  pointsLots { amount remaining transactionId channel }
			  purchases { orderId client points lines { sku bought earned returned } returns { returnId points } }
			  rewardRedemptions { id rewardId points code status }
			  offers { id status couponCode } offerFacts { categories stores dailySpend { day amount } }
			  challenges { challenge { id } purchases spend }
			  cards { serialNumber cardNumber status replaced }
			  webhookDeliveries { eventType payload } } }""";
	static final String ERASE = "mutation($id: ID!) { eraseMember(input: {memberId: $id}) { member { name email phone status } } }";

	@Autowired
	SettingRules rules;

	String program;
	String email;
	String franksToken;
	String frank;

	@BeforeEach
	void aMemberWithPoints() {
		program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		franksToken = member("frank-" + key());
		email = key() + "@example.com";
		graphQl(franksToken).document(ENROLL).variable("input", enrollment(program, email, key())).execute();
		frank = graphQl(franksToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
		graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $k: String!) { adjustPoints(input: {memberId: $id, points: 40,
				  reason: "Frank Smith called about his lost receipt", idempotencyKey: $k}) { entry { delta } } }""")
				.variable("id", frank).variable("k", key()).execute();
	}

	@Test
	void aMemberExportsEverythingFidelisHoldsOnThemOneSectionPerModule() {
		// a CRM hears of what the member does: what it was sent is the member's data too
		String crm = token("pos", "subject", "privacy-crm", "scope", "webhooks");
		graphQl(crm).document("mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }")
				.variable("input", Map.of("url", "https://93.184.215.14/hooks", "eventTypes", List.of("PURCHASE_RECORDED"),
						"programs", List.of(program)))
				.execute().path("createWebhook.webhook.id").hasValue();
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"web-shop\", name: \"Web shop\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(staffAdmin()).document("mutation($input: DefineChallengeInput!) { defineChallenge(input: $input) { challenge { id } } }")
				.variable("input", Map.of("programId", program, "challengeId", "tea-five", "name", "Five teas", "goal", "PURCHASES",
						"target", "5", "category", "tea", "validFrom", java.time.Instant.now().minusSeconds(3_600).toString(),
						"validUntil", java.time.Instant.now().plusSeconds(86_400).toString(), "rewardPoints", 50))
				.execute().path("defineChallenge.challenge.id").hasValue();
		graphQl(pos()).document("""
				mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }""")
				.variable("input", Map.of("programId", program, "member", Map.of("memberId", frank), "orderId", "order-frank-1",
						"store", "web-shop", "channel", "ONLINE", "currency", "EUR", "total", "12.00",
						"lines", List.of(Map.of("sku", "tea-1", "category", "tea", "quantity", "2", "unitPrice", "6.00"))))
				.execute().path("recordPurchase.pointsEarned").hasValue();
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineReward(input: {programId: $p, rewardId: \"export-tea\", name: \"Tea\", points: 10, fulfilment: GENERATED_CODE}) { reward { id } } }")
				.variable("p", program).execute().path("defineReward.reward.id").hasValue();
		String code = graphQl(pos()).document("mutation($m: ID!, $k: String!) { redeemCatalogReward(input: {memberId: $m, rewardId: \"export-tea\", source: {channel: ONLINE}, idempotencyKey: $k}) { redemption { code } } }")
				.variable("m", frank).variable("k", key()).execute().path("redeemCatalogReward.redemption.code")
				.entity(String.class).get();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<String, Object> export = graphQl(franksToken).document(EXPORT).variable("id", frank).execute()
					.path("exportMemberData").entity(JSON_OBJECT).get();
			assertThat(export).containsEntry("memberId", frank).containsEntry("programId", program);
			assertThat(section(export, "member")).containsEntry("email", email).containsEntry("name", "Alice Martin")
					.containsEntry("status", "ACTIVE").containsKey("cardNumber");
			assertThat(section(export, "points")).containsEntry("available", 42);
			assertThat(list(export, "rewardRedemptions")).singleElement().satisfies(r -> assertThat(r)
					.containsEntry("rewardId", "export-tea").containsEntry("points", 10).containsEntry("code", code)
					.containsEntry("status", "REDEEMED"));
			assertThat(list(export, "ledger")).anySatisfy(e -> assertThat(e).containsEntry("type", "ADJUSTED")
					.containsEntry("reason", "Frank Smith called about his lost receipt").containsEntry("delta", 40));
			assertThat(list(export, "pointsLots")).extracting(l -> l.get("amount")).contains(40, 12);
			assertThat(list(export, "purchases")).singleElement().satisfies(p -> {
				assertThat(p).containsEntry("orderId", "order-frank-1").containsEntry("points", 12);
				assertThat(p.get("lines").toString()).contains("tea-1");
			});
			assertThat(section(export, "offerFacts").get("categories")).isEqualTo(List.of("tea"));
			// (the program's other challenges may count the purchase too)
			assertThat(list(export, "challenges")).filteredOn(c -> ((Map<?, ?>) c.get("challenge")).get("id").equals("tea-five"))
					.singleElement().satisfies(c -> assertThat(c).containsEntry("purchases", 1).containsEntry("spend", "12.00"));
			assertThat(list(export, "cards")).singleElement().satisfies(c -> assertThat(c)
					.containsEntry("cardNumber", section(export, "member").get("cardNumber")).containsEntry("replaced", false));
			// (other subscriptions to the program may have heard of the member too)
			assertThat(list(export, "webhookDeliveries")).allSatisfy(d -> assertThat((String) d.get("payload")).contains(frank))
					.anySatisfy(d -> {
						assertThat(d).containsEntry("eventType", "PURCHASE_RECORDED");
						assertThat((String) d.get("payload")).contains("order-frank-1");
					});
		});
		assertThat(graphQl(franksToken).document(EXPORT).variable("id", frank).execute().path("exportMemberData.offers")
				.entityList(Object.class).get()).as("no offer was made in this program").isEmpty();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> export, String name) {
		return (List<Map<String, Object>>) export.get(name);
	}

	@Test
	void erasureAnonymisesEveryModuleButKeepsTheAmounts() {
		String cardNumber = (String) section(graphQl(franksToken).document(EXPORT).variable("id", frank).execute()
				.path("exportMemberData").entity(JSON_OBJECT).get(), "member").get("cardNumber");
		graphQl(franksToken).document(ERASE).variable("id", frank).execute()
				.path("eraseMember.member.name").entity(String.class).isEqualTo("Erased member")
				.path("eraseMember.member.status").entity(String.class).isEqualTo("CLOSED")
				.path("eraseMember.member.phone").valueIsNull();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<String, Object> export = graphQl(staffAdmin()).document(EXPORT).variable("id", frank).execute()
					.path("exportMemberData").entity(JSON_OBJECT).get();
			assertThat(export.toString()).doesNotContain(email).doesNotContain("lost receipt").doesNotContain(cardNumber)
					.doesNotContain("Alice Martin");
			assertThat(section(export, "points")).containsEntry("available", 40);
			assertThat(list(export, "cards")).singleElement().satisfies(c -> assertThat(c).containsEntry("status", "VOIDED"));
		});
		// the email is free again: the same person may join anew
		graphQl(pos()).document(ENROLL).variable("input", enrollment(program, email, key())).execute()
				.path("enrollMember.member.id").entity(String.class).satisfies(id -> assertThat(id).isNotEqualTo(frank));
		// erasing again changes nothing
		graphQl(staffAdmin()).document(ERASE).variable("id", frank).execute()
				.path("eraseMember.member.name").entity(String.class).isEqualTo("Erased member");
	}

	@Autowired
	org.springframework.data.mongodb.MongoDatabaseFactory mongo;

	/**
	 * A member uses what Fidelis offers (enrollment, points with a reason that names them, a
	 * purchase, a lost card replaced, webhooks to a CRM), is erased, and then nothing in any
	 * collection of the store holds their name, email, phone or any card number they had.
	 */
	@Test
	void anErasedMemberLeavesNoTraceInAnyCollection() {
		String letters = java.util.UUID.randomUUID().toString().replaceAll("[^a-f]", "");
		String name = "Zelda Qu" + letters;
		String mail = "zq-" + key() + "@example.com";
		String phoneDigits = "7" + String.format("%08d", java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000));
		String zelda = member("zelda-" + key());
		String crm = token("pos", "subject", "erasure-crm", "scope", "webhooks");
		graphQl(crm).document("mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }")
				.variable("input", Map.of("url", "https://93.184.215.14/hooks", "eventTypes", List.of("ALL"), "programs",
						List.of(program)))
				.execute().path("createWebhook.webhook.id").hasValue();
		Map<String, Object> input = new java.util.HashMap<>(enrollment(program, mail, key()));
		input.put("name", name);
		input.put("phone", "+33 " + phoneDigits);
		input.put("externalId", "crm-" + letters);
		String id = graphQl(zelda).document(ENROLL).variable("input", input).execute().path("enrollMember.member.id")
				.entity(String.class).get();
		graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $k: String!, $r: String!) { adjustPoints(input: {memberId: $id, points: 15, reason: $r,
				  idempotencyKey: $k}) { entry { delta } } }""")
				.variable("id", id).variable("k", key()).variable("r", "Goodwill for " + name + " (" + mail + ")").execute()
				.path("adjustPoints.entry.delta").entity(Long.class).isEqualTo(15L);
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"erase-shop\", name: \"Erase shop\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }")
				.variable("input", Map.of("programId", program, "member", Map.of("email", mail), "orderId", "order-" + key(),
						"store", "erase-shop", "channel", "IN_STORE", "currency", "EUR", "total", "9.00",
						"lines", List.of(Map.of("sku", "cake", "category", "bakery", "quantity", "1", "unitPrice", "9.00"))))
				.execute().path("recordPurchase.pointsEarned").hasValue();
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineReward(input: {programId: $p, rewardId: \"erase-cake\", name: \"Cake\", points: 5, fulfilment: GENERATED_CODE}) { reward { id } } }")
				.variable("p", program).execute().path("defineReward.reward.id").hasValue();
		String redemption = graphQl(pos()).document("mutation($m: ID!, $k: String!) { redeemCatalogReward(input: {memberId: $m, rewardId: \"erase-cake\", source: {channel: IN_STORE}, idempotencyKey: $k}) { redemption { id } } }")
				.variable("m", id).variable("k", key()).execute().path("redeemCatalogReward.redemption.id").entity(String.class).get();
		graphQl(staffAdmin()).document("mutation($r: ID!, $why: String!) { refundRewardRedemption(input: {redemptionId: $r, reason: $why}) { redemption { status } } }")
				.variable("r", redemption).variable("why", "Cake refused by " + name).execute()
				.path("refundRewardRedemption.redemption.status").entity(String.class).isEqualTo("REFUNDED");
		String lost = graphQl(zelda).document("query($p: ID!) { me(programId: $p) { cardNumber } }").variable("p", program)
				.execute().path("me.cardNumber").entity(String.class).get();
		String replacement = graphQl(zelda).document("""
				mutation($input: ReportCardInput!) { reportCard(input: $input) { member { cardNumber } } }""")
				.variable("input", Map.of("memberId", id, "cardNumber", lost, "reason", "LOST")).execute()
				.path("reportCard.member.cardNumber").entity(String.class).get();
		List<String> traces = List.of(name, mail, "+33" + phoneDigits, "crm-" + letters, lost, replacement);
		// each trace is somewhere before erasure (so that finding none afterwards means something)
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			for (String trace : traces) {
				assertThat(collectionsHolding(List.of(trace))).as("the store knows " + trace).isNotEmpty();
			}
			assertThat(collectionsHolding(List.of(replacement))).anySatisfy(hit -> assertThat(hit).startsWith("cards_cards"))
					.anySatisfy(hit -> assertThat(hit).startsWith("webhooks_deliveries"));
		});

		graphQl(staffAdmin()).document("mutation($input: DefineChallengeInput!) { defineChallenge(input: $input) { challenge { id } } }")
				.variable("input", Map.of("programId", program, "challengeId", "erase-visits", "name", "Visits", "goal", "STORES",
						"target", "3", "validFrom", java.time.Instant.now().minusSeconds(3_600).toString(),
						"validUntil", java.time.Instant.now().plusSeconds(86_400).toString(), "rewardPoints", 50))
				.execute().path("defineChallenge.challenge.id").hasValue();
		graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }")
				.variable("input", Map.of("programId", program, "member", Map.of("memberId", id), "orderId", "order-" + key(),
						"store", "erase-shop", "channel", "IN_STORE", "currency", "EUR", "total", "2.00",
						"lines", List.of(Map.of("sku", "bun", "category", "bakery", "quantity", "1", "unitPrice", "2.00"))))
				.execute().path("recordPurchase.pointsEarned").hasValue();
		await().atMost(Duration.ofSeconds(20)).until(() -> mongo.getMongoDatabase().getCollection("offers_challenge_progress")
				.find(com.mongodb.client.model.Filters.eq("_id", id)).first() != null);
		graphQl(zelda).document(ERASE).variable("id", id).execute().path("eraseMember.member.status").entity(String.class)
				.isEqualTo("CLOSED");

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(collectionsHolding(traces))
				.as("collections that still hold the member's name, email, phone, external id or card numbers").isEmpty());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(mongo.getMongoDatabase()
				.getCollection("offers_challenge_progress").find(com.mongodb.client.model.Filters.eq("_id", id)).first())
				.as("where the member bought, for their challenges").isNull());
		// the numbers stay taken: a till that scans the old cards finds nobody
		String lookup = "query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { id } }";
		for (String number : List.of(lost, replacement)) {
			graphQl(pos()).document(lookup).variable("p", program).variable("c", number).execute()
					.path("memberByIdentifier").valueIsNull();
		}
	}

	/** Per collection, the first document that holds any of {@code traces}, as "collection: document". */
	private List<String> collectionsHolding(List<String> traces) {
		List<String> hits = new java.util.ArrayList<>();
		for (String collection : mongo.getMongoDatabase().listCollectionNames()) {
			for (org.bson.Document d : mongo.getMongoDatabase().getCollection(collection).find()) {
				String json = d.toJson();
				if (traces.stream().anyMatch(json::contains)) {
					hits.add(collection + ": " + (json.length() > 300 ? json.substring(0, 300) + "…" : json));
					break;
				}
			}
		}
		return hits;
	}

	@Test
	void onlyTheMemberOrTheRightStaffMayExportEraseOrDeactivate() {
		String mallory = member("mallory");
		refused(graphQl(mallory).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(pos()).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(token("staff", "roles", "analyst")).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(mallory).document(ERASE).variable("id", frank), "FORBIDDEN");
		refused(graphQl(token("staff", "roles", "support")).document(ERASE).variable("id", frank), "FORBIDDEN");
		refused(graphQl(pos()).document(ERASE).variable("id", frank), "FORBIDDEN");
		String deactivate = "mutation($id: ID!) { deactivateMember(input: {memberId: $id, reason: \"moved abroad\"}) "
				+ "{ member { status name } } }";
		refused(graphQl(franksToken).document(deactivate).variable("id", frank), "FORBIDDEN");

		graphQl(token("staff", "roles", "operator")).document(deactivate).variable("id", frank).execute()
				.path("deactivateMember.member.status").entity(String.class).isEqualTo("CLOSED")
				.path("deactivateMember.member.name").entity(String.class).isEqualTo("Alice Martin");
	}

	static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
			new org.springframework.core.ParameterizedTypeReference<>() {
			};

	@SuppressWarnings("unchecked")
	private static Map<String, Object> section(Map<String, Object> export, String name) {
		return (Map<String, Object>) export.get(name);
	}

	private static void refused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty()
				.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
