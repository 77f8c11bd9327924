package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.ResponseError;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import reactor.core.publisher.Mono;

/**
 * Programs are a boundary for staff and integration clients: a token whose {@code programs}
 * claim names another program reaches nothing of this one, through any operation of the schema.
 * Each operation is sent, with real inputs that name program {@value #ACME} or one of its
 * members, by a staff token with every role and by a client with every scope, both bound to
 * {@value #OTHER}; the operations are read from the schema itself, so that a new one fails here
 * until it is placed in the table. Nothing of {@value #ACME} changes meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgramBoundaryApiTest extends ApiTest {

	static final String ACME = "boundary-acme";
	static final String OTHER = "boundary-other";

	/** How an operation answers a caller beyond the program. */
	enum Expect {
		/** Refused (FORBIDDEN or NOT_FOUND), and the caller that passes the role or scope check hears the boundary's reason. */
		BOUNDARY,
		/** Refused for both: only the member themselves may (their own offers). */
		MEMBER_ONLY,
		/** An id that names something of the program answers as if it did not exist (null or NOT_FOUND). */
		NOTHING
	}

	record Operation(String document, Map<String, Object> variables, Expect expect) {
	}

	/** Operations that name no program: what they reach is the caller's own. */
	static final Map<String, String> NOT_PROGRAM_SCOPED = Map.of(
			"me", "a member's own profile, members only",
			"webhooks", "a client's own subscriptions",
			"webhook", "a client's own subscription",
			"webhookDelivery", "a delivery of a client's own subscription",
			"webhookDeliveries", "deliveries of a client's own subscriptions",
			"deleteWebhook", "a client's own subscription",
			"redeliverWebhook", "a delivery of a client's own subscription");

	String member;
	String memberToken;
	String receiver;
	String email;
	String cardNumber;
	String serial;
	String coupon;
	String assignment;
	String offerId;
	String memberImport;
	String transactionImport;
	String rewardRedemption;
	String staffOther;
	String clientOther;
	Map<String, Object> before;

	@BeforeAll
	void programWithAMember() {
		program(ACME);
		program(OTHER);
		String admin = staffAdmin();
		graphQl(admin).document("""
				mutation($p: ID!) { defineStore(input: {programId: $p, storeId: "s1", name: "Store", region: "FR"}) { store { storeId } } }""")
				.variable("p", ACME).execute().path("defineStore.store.storeId").hasValue();
		graphQl(admin).document("""
				mutation($p: ID!) { setTierLadder(input: {programId: $p, tiers: [{name: "Silver", threshold: 100}, {name: "Gold", threshold: 1000}]}) { ladder { programId } } }""")
				.variable("p", ACME).execute().path("setTierLadder.ladder.programId").hasValue();
		Map<String, Object> couponOffer = new HashMap<>(Map.of("programId", ACME, "name", "10% off", "kind", "COUPON",
				"trigger", "ENROLLMENT", "couponDiscount", "10% off", "personalized", false,
				"validFrom", Instant.now().minusSeconds(60).toString(), "validUntil", Instant.now().plusSeconds(86_400).toString()));
		offerId = graphQl(admin).document("mutation($input: OfferInput!) { createOffer(input: $input) { offer { id } } }")
				.variable("input", couponOffer).execute().path("createOffer.offer.id").entity(String.class).get();

		String subject = "boundary-" + key();
		memberToken = member(subject);
		email = subject + "@example.com";
		Map<String, Object> self = enrollment(ACME, email, key());
		member = graphQl(memberToken).document(ENROLL).variable("input", self).execute().path("enrollMember.member.id")
				.entity(String.class).get();
		receiver = graphQl(pos()).document(ENROLL).variable("input", enrollment(ACME, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		cardNumber = graphQl(admin).document("query($id: ID!) { member(id: $id) { cardNumber } }").variable("id", member)
				.execute().path("member.cardNumber").entity(String.class).get();
		graphQl(pos()).document("""
				mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }""")
				.variable("input", Map.of("programId", ACME, "member", Map.of("memberId", member), "orderId", "B-1",
						"store", "s1", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
						"lines", List.of(Map.of("sku", "A", "category", "misc", "quantity", "1", "unitPrice", "50.00")),
						"total", "50.00"))
				.execute().path("recordPurchase.pointsEarned").hasValue();
		graphQl(admin).document("""
				mutation($p: ID!) { defineReward(input: {programId: $p, rewardId: "sticker", name: "Sticker", points: 10, fulfilment: NONE}) { reward { id } } }""")
				.variable("p", ACME).execute().path("defineReward.reward.id").hasValue();
		rewardRedemption = graphQl(pos()).document("""
				mutation($m: ID!) { redeemCatalogReward(input: {memberId: $m, rewardId: "sticker", source: {channel: IN_STORE}, idempotencyKey: "boundary-sticker"}) { redemption { id } } }""")
				.variable("m", member).execute().path("redeemCatalogReward.redemption.id").entity(String.class).get();
		await().ignoreExceptions().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Map<String, Object>> offers = graphQl(memberToken).document("""
					query($m: ID!) { memberOffers(memberId: $m) { edges { node { id couponCode } } } }""")
					.variable("m", member).execute().path("memberOffers.edges[*].node")
					.entity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
					}).get();
			assertThat(offers).singleElement().satisfies(o -> assertThat(o.get("couponCode")).isNotNull());
			coupon = offers.get(0).get("couponCode").toString();
			assignment = offers.get(0).get("id").toString();
		});
		serial = graphQl(admin).document("query($id: ID!) { memberCards(memberId: $id) { serialNumber } }")
				.variable("id", member).execute().path("memberCards[0].serialNumber").entity(String.class).get();
		memberImport = "members-" + key();
		graphQl(admin).document("mutation($input: ImportMembersInput!) { importMembers(input: $input) { memberImport { id } } }")
				.variable("input", Map.of("importId", memberImport, "programId", ACME, "format", "CSV",
						"content", "email,name\n" + key() + "@example.com,Imported Person\n"))
				.execute().path("importMembers.memberImport.id").hasValue();
		transactionImport = "orders-" + key();
		graphQl(admin).document("mutation($input: ImportTransactionsInput!) { importTransactions(input: $input) { transactionImport { importId } } }")
				.variable("input", Map.of("importId", transactionImport, "programId", ACME, "format", "CSV",
						"content", "orderId,memberId,currency,total\nH-" + key() + "," + member + ",EUR,10.00\n"))
				.execute().path("importTransactions.transactionImport.importId").hasValue();

		staffOther = token("staff", "subject", "ops-" + OTHER, "roles", "admin,operator,support,analyst", "programs", OTHER);
		// the same client id as the one that recorded order B-1, now bound to another program
		clientOther = token("pos", "subject", "pos-demo", "scope", "members:read members:write points:read points:write webhooks",
				"programs", OTHER);
		before = acmeAsItStands();
	}

	/** What a platform admin sees of the program and its member: none of it may change below. */
	Map<String, Object> acmeAsItStands() {
		GraphQlResponse seen = graphQl(staffAdmin()).document("""
				query($p: ID!, $m: ID!, $r: ID!, $o: ID!) {
				  program(id: $p) { name currencies }
				  member(id: $m) { name email status cardNumber tier { name manualTier } points { available pending }
				    rewardRedemptions { edges { node { id status } } } }
				  rewards(programId: $p, includeUnavailable: true) { id name points remaining }
				  receiver: member(id: $r) { status points { available } }
				  pointRules(programId: $p) { minimumRedemption earnRates { currency pointsPerUnit } }
				  referralRules(programId: $p) { referrerPoints refereePoints }
				  tierLadder(programId: $p) { tiers { name threshold } }
				  stores(programId: $p) { edges { node { storeId name } } } partners(programId: $p) { edges { node { partnerId } } } categoryRates(programId: $p) { category }
				  offers(programId: $p) { edges { node { id name } } } offerPerformance(offerId: $o) { assigned redeemed }
				  memberCards(memberId: $m) { serialNumber status }
				  cardDesign(programId: $p) { organizationName backgroundColor }
				}""").variable("p", ACME).variable("m", member).variable("r", receiver).variable("o", offerId)
				.execute().returnResponse();
		assertThat(seen.getErrors()).isEmpty();
		return seen.getData();
	}

	Map<String, Operation> operations() {
		Map<String, Operation> ops = new LinkedHashMap<>();
		String range = "from: \"2026-01-01\", to: \"2026-12-31\"";
		// reporting
		ops.put("programReport", op("query($p: ID!) { programReport(programId: $p, " + range + ") { __typename } }", "p", ACME));
		ops.put("topStores", op("query($p: ID!) { topStores(programId: $p, " + range + ") { __typename } }", "p", ACME));
		ops.put("topPartners", op("query($p: ID!) { topPartners(programId: $p, " + range + ") { __typename } }", "p", ACME));
		ops.put("partnerSettlement", op("query($p: ID!) { partnerSettlement(programId: $p, " + range + ") { __typename } }", "p", ACME));
		ops.put("offerReport", op("query($p: ID!) { offerReport(programId: $p) { totalCount edges { node { offerId } } } }", "p", ACME));
		ops.put("setReportSettings", op("mutation($p: ID!) { setReportSettings(input: {programId: $p, costPerPoint: \"0.5\", currency: \"EUR\"}) { __typename } }", "p", ACME));
		ops.put("rebuildReports", op("mutation($p: ID!) { rebuildReports(input: {programId: $p}) { __typename } }", "p", ACME));
		// offers
		ops.put("offers", op("query($p: ID!) { offers(programId: $p) { totalCount edges { node { id } } } }", "p", ACME));
		ops.put("previewOffer", op("query($o: ID!) { previewOffer(offerId: $o) { __typename } }", "o", offerId));
		ops.put("offer", op("query($o: ID!) { offer(id: $o) { name } }", "o", offerId));
		ops.put("memberOffer", new Operation("query($a: ID!) { memberOffer(id: $a) { status } }", Map.of("a", assignment), Expect.BOUNDARY));
		ops.put("offerPerformance", op("query($o: ID!) { offerPerformance(offerId: $o) { assigned } }", "o", offerId));
		ops.put("memberOffers", op("query($m: ID!) { memberOffers(memberId: $m) { totalCount } }", "m", member));
		ops.put("checkCoupon", new Operation("query($c: String!) { checkCoupon(code: $c) { status } }", Map.of("c", coupon), Expect.NOTHING));
		ops.put("redeemCoupon", new Operation("mutation($c: String!) { redeemCoupon(input: {code: $c}) { coupon { status } } }", Map.of("c", coupon), Expect.NOTHING));
		ops.put("createOffer", new Operation("mutation($input: OfferInput!) { createOffer(input: $input) { offer { id } } }",
				Map.of("input", Map.of("programId", ACME, "name", "Double", "kind", "BONUS", "bonusPoints", 5, "trigger", "NONE",
						"validFrom", Instant.now().toString(), "validUntil", Instant.now().plusSeconds(3_600).toString())), Expect.BOUNDARY));
		ops.put("activateOffer", new Operation("mutation($a: ID!) { activateOffer(input: {assignmentId: $a}) { memberOffer { status } } }", Map.of("a", assignment), Expect.MEMBER_ONLY));
		ops.put("redeemReward", new Operation("mutation($a: ID!) { redeemReward(input: {assignmentId: $a}) { memberOffer { status } } }", Map.of("a", assignment), Expect.MEMBER_ONLY));
		ops.put("runOfferSchedules", op("mutation($p: ID!) { runOfferSchedules(input: {programId: $p}) { assigned } }", "p", ACME));
		// cards
		ops.put("memberCards", op("query($m: ID!) { memberCards(memberId: $m) { serialNumber } }", "m", member));
		ops.put("cardPageLink", op("query($m: ID!) { cardPageLink(memberId: $m) { url } }", "m", member));
		ops.put("programCards", op("query($p: ID!) { programCards(programId: $p) { edges { node { serialNumber } } } }", "p", ACME));
		ops.put("cardDesign", op("query($p: ID!) { cardDesign(programId: $p) { organizationName } }", "p", ACME));
		ops.put("revokeCard", op("mutation($s: ID!) { revokeCard(input: {serialNumber: $s, reason: \"fraud\"}) { card { status } } }", "s", serial));
		ops.put("reinstateCard", op("mutation($s: ID!) { reinstateCard(input: {serialNumber: $s}) { card { status } } }", "s", serial));
		ops.put("setCardDesign", op("""
				mutation($p: ID!) { setCardDesign(input: {programId: $p, organizationName: "Mallory", description: "x",
				  backgroundColor: "#000000", foregroundColor: "#FFFFFF", labelColor: "#FFFFFF",
				  barcodeFormat: QR}) { design { organizationName } } }""", "p", ACME));
		// points and purchases
		String source = "source: {channel: IN_STORE, store: \"s1\"}";
		ops.put("referralReport", op("query($p: ID!) { referralReport(programId: $p, from: \"2026-12-01\", to: \"2026-12-31\") { referrals } }", "p", ACME));
		ops.put("referralRules", op("query($p: ID!) { referralRules(programId: $p) { referrerPoints } }", "p", ACME));
		ops.put("setReferralRules", op("mutation($p: ID!) { setReferralRules(input: {programId: $p, referrerPoints: 900, refereePoints: 9}) { rules { referrerPoints } } }", "p", ACME));
		ops.put("pointRules", op("query($p: ID!) { pointRules(programId: $p) { minimumRedemption } }", "p", ACME));
		ops.put("setPointRules", op("mutation($p: ID!) { setPointRules(input: {programId: $p, earnRates: [{currency: \"EUR\", pointsPerUnit: \"100\"}]}) { rules { minimumRedemption } } }", "p", ACME));
		ops.put("earnPoints", op("mutation($m: ID!) { earnPoints(input: {memberId: $m, points: 500, " + source + ", transactionId: \"t-earn\", idempotencyKey: \"key-earn-1\"}) { replayed } }", "m", member));
		ops.put("redeemPoints", op("mutation($m: ID!) { redeemPoints(input: {memberId: $m, points: 10, " + source + ", idempotencyKey: \"key-redeem-1\"}) { replayed } }", "m", member));
		ops.put("adjustPoints", op("mutation($m: ID!) { adjustPoints(input: {memberId: $m, points: 500, reason: \"gift\", idempotencyKey: \"key-adjust-1\"}) { replayed } }", "m", member));
		ops.put("reverseTransaction", op("mutation($m: ID!) { reverseTransaction(input: {memberId: $m, transactionId: \"B-1\", idempotencyKey: \"key-reverse-1\"}) { replayed } }", "m", member));
		ops.put("transferPoints", new Operation("mutation($m: ID!, $r: ID!) { transferPoints(input: {fromMemberId: $m, toMemberId: $r, points: 10, idempotencyKey: \"key-transfer-1\"}) { replayed } }",
				Map.of("m", member, "r", receiver), Expect.BOUNDARY));
		ops.put("recordPurchase", op("""
				mutation($p: ID!, $m: ID!) { recordPurchase(input: {programId: $p, member: {memberId: $m}, orderId: "B-2", store: "s1",
				  channel: IN_STORE, currency: "EUR", lines: [{sku: "A", category: "misc", quantity: "1", unitPrice: "5.00"}], total: "5.00"}) { pointsEarned } }""",
				"p", ACME, "m", member));
		ops.put("recordReturn", op("mutation { recordReturn(input: {orderId: \"B-1\", returnId: \"r-1\"}) { pointsReversed } }"));
		ops.put("defineStore", op("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"s1\", name: \"Renamed\"}) { store { storeId } } }", "p", ACME));
		ops.put("definePartner", op("""
				mutation($p: ID!) { definePartner(input: {programId: $p, partnerId: "air", name: "Air", earnRates: [{currency: "EUR", pointsPerUnit: "1"}],
				  issueCost: "0.01", redemptionValue: "0.01", settlementCurrency: "EUR"}) { partner { partnerId } } }""", "p", ACME));
		ops.put("setCategoryRates", op("mutation($p: ID!) { setCategoryRates(input: {programId: $p, rates: [{category: \"fuel\", basis: QUANTITY, points: \"9\"}]}) { rates { category } } }", "p", ACME));
		ops.put("stores", op("query($p: ID!) { stores(programId: $p) { totalCount edges { node { storeId } } } }", "p", ACME));
		ops.put("partners", op("query($p: ID!) { partners(programId: $p) { totalCount edges { node { partnerId } } } }", "p", ACME));
		ops.put("categoryRates", op("query($p: ID!) { categoryRates(programId: $p) { category } }", "p", ACME));
		ops.put("importTransactions", op("mutation($p: ID!) { importTransactions(input: {importId: \"orders-x1\", programId: $p, format: CSV, content: \"orderId,email,currency,total\\nX-1,a@example.com,EUR,1.00\\n\"}) { transactionImport { importId } } }", "p", ACME));
		ops.put("transactionImport", new Operation("query($i: ID!) { transactionImport(importId: $i) { status } }", Map.of("i", transactionImport), Expect.NOTHING));
		// challenges
		ops.put("challenges", op("query($p: ID!) { challenges(programId: $p) { id } }", "p", ACME));
		ops.put("defineChallenge", op("mutation($p: ID!) { defineChallenge(input: {programId: $p, challengeId: \"taken\", name: \"Taken\", goal: PURCHASES, target: \"1\", validFrom: \"2026-01-01T00:00:00Z\", validUntil: \"2030-01-01T00:00:00Z\", rewardPoints: 1}) { challenge { id } } }", "p", ACME));
		// the rewards catalog
		ops.put("rewards", op("query($p: ID!) { rewards(programId: $p) { id } }", "p", ACME));
		ops.put("defineReward", op("mutation($p: ID!) { defineReward(input: {programId: $p, rewardId: \"taken\", name: \"Taken over\", points: 1, fulfilment: NONE}) { reward { id } } }", "p", ACME));
		ops.put("redeemCatalogReward", op("mutation($m: ID!) { redeemCatalogReward(input: {memberId: $m, rewardId: \"sticker\", source: {channel: APP}, idempotencyKey: \"boundary-other-1\"}) { redemption { id } } }", "m", member));
		ops.put("rewardReport", op("query($p: ID!) { rewardReport(programId: $p, " + range + ") { redemptions } }", "p", ACME));
		ops.put("importRewardCodes", op("mutation($p: ID!) { importRewardCodes(input: {programId: $p, rewardId: \"sticker\", codes: \"TAKEN-1\"}) { added } }", "p", ACME));
		ops.put("refundRewardRedemption", op("mutation($r: ID!) { refundRewardRedemption(input: {redemptionId: $r, reason: \"taken over\"}) { redemption { status } } }", "r", rewardRedemption));
		// members
		ops.put("program", op("query($p: ID!) { program(id: $p) { name } }", "p", ACME));
		ops.put("member", op("query($m: ID!) { member(id: $m) { name } }", "m", member));
		ops.put("node", op("query($m: ID!) { node(id: $m) { id ... on Member { name } } }", "m", member));
		ops.put("memberByIdentifier", op("query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { id } }", "p", ACME, "c", cardNumber));
		ops.put("searchMembers", op("query($p: ID!, $e: String!) { searchMembers(programId: $p, email: $e) { edges { cursor } } }", "p", ACME, "e", email));
		ops.put("exportMemberData", op("query($m: ID!) { exportMemberData(memberId: $m) { member { email } } }", "m", member));
		ops.put("tierLadder", op("query($p: ID!) { tierLadder(programId: $p) { programId } }", "p", ACME));
		ops.put("memberImport", new Operation("query($i: ID!) { memberImport(importId: $i) { status } }", Map.of("i", memberImport), Expect.NOTHING));
		ops.put("defineProgram", op("mutation($p: ID!) { defineProgram(input: {id: $p, name: \"Taken over\", currencies: [\"EUR\"], regions: [\"FR\"], timeZone: \"UTC\"}) { program { id } } }", "p", ACME));
		ops.put("enrollMember", new Operation(ENROLL, Map.of("input", enrollment(ACME, "intruder-" + key() + "@example.com", key())), Expect.BOUNDARY));
		ops.put("reportCard", op("mutation($m: ID!, $c: String!) { reportCard(input: {memberId: $m, cardNumber: $c, reason: LOST}) { __typename } }", "m", member, "c", cardNumber));
		ops.put("cardStockBatch", op("query($p: ID!) { cardStockBatch(programId: $p, batchId: \"run-1\") { batchId } }", "p", ACME));
		ops.put("issueCardStock", op("mutation($p: ID!) { issueCardStock(input: {programId: $p, batchId: \"run-1\", count: 5}) { batch { __typename } } }", "p", ACME));
		ops.put("updateMemberProfile", op("mutation($m: ID!) { updateMemberProfile(input: {memberId: $m, name: \"Mallory\"}) { member { name } } }", "m", member));
		ops.put("changeMemberStatus", op("mutation($m: ID!) { changeMemberStatus(input: {memberId: $m, status: SUSPENDED, reason: \"x\"}) { member { status } } }", "m", member));
		ops.put("eraseMember", op("mutation($m: ID!) { eraseMember(input: {memberId: $m}) { member { status } } }", "m", member));
		ops.put("deactivateMember", op("mutation($m: ID!) { deactivateMember(input: {memberId: $m, reason: \"x\"}) { member { status } } }", "m", member));
		ops.put("setTierLadder", op("mutation($p: ID!) { setTierLadder(input: {programId: $p, tiers: [{name: \"Tin\", threshold: 5}]}) { ladder { programId } } }", "p", ACME));
		ops.put("assignTier", op("mutation($m: ID!) { assignTier(input: {memberId: $m, tier: \"Gold\", until: \"2030-01-01T00:00:00Z\"}) { tier { name } } }", "m", member));
		// the audit trail of the program
		ops.put("auditLog", op("query($p: ID!) { auditLog(programId: $p) { nextCursor } }", "p", ACME));
		// webhooks: a subscription names the programs it hears, each within the token's reach
		ops.put("createWebhook", op("mutation($p: ID!) { createWebhook(input: {url: \"https://crm.example.com/hook\", eventTypes: [ALL], programs: [$p]}) { secret } }", "p", ACME));
		ops.put("importMembers", op("mutation($p: ID!) { importMembers(input: {importId: \"members-x1\", programId: $p, format: CSV, content: \"email,name\\nx@example.com,X\\n\"}) { memberImport { id } } }", "p", ACME));
		return ops;
	}

	static Operation op(String document, String... variables) {
		Map<String, Object> values = new HashMap<>();
		for (int i = 0; i + 1 < variables.length; i += 2) {
			values.put(variables[i], variables[i + 1]);
		}
		return new Operation(document, values, Expect.BOUNDARY);
	}

	@Test
	void everyOperationOfTheSchemaIsInTheTable() throws IOException {
		Set<String> inSchema = new TreeSet<>(operationsOfTheSchema());
		Set<String> placed = new TreeSet<>(operations().keySet());
		placed.addAll(NOT_PROGRAM_SCOPED.keySet());
		placed.add("pointsAccount"); // subscriptions: below, over graphql-ws
		placed.add("offerAssigned");
		assertThat(placed).as("operations placed in this test's table, against the schema").isEqualTo(inSchema);
		// and in the README's table of who may call what
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../README.md"));
		assertThat(inSchema).allSatisfy(operation -> assertThat(readme).as("README row for " + operation)
				.contains("| `" + operation + "` |"));
	}

	/**
	 * The role and scope rules, caller by caller, against the README's table of who may call what:
	 * a member, each staff role, and a client holding one scope each. Every operation is sent with
	 * ids that name nothing (a program, member, offer or card that does not exist), so a caller the
	 * rule lets through is refused further on (NOT_FOUND, or a member's own-data rule) and changes
	 * nothing; the rule's own refusal is the FORBIDDEN that names who may ({@code allowed}).
	 */
	@Test
	void everyCallerPassesTheRoleRulesExactlyWhereTheReadmeTableSaysSo() throws IOException {
		String readme = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../README.md"));
		Map<String, String[]> table = new HashMap<>();
		java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `(\\w+)` \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|$")
				.matcher(readme);
		while (row.find()) {
			table.put(row.group(1), new String[] { row.group(2).strip(), row.group(3).strip(), row.group(4).strip() });
		}
		Map<String, String> callers = new LinkedHashMap<>();
		callers.put("member", memberToken);
		for (String role : List.of("admin", "operator", "support", "analyst")) {
			callers.put("staff " + role, token("staff", "subject", "matrix-" + role, "roles", role));
		}
		for (String scope : List.of("points:read", "points:write", "members:read", "members:write", "webhooks")) {
			// not the client that recorded this program's purchases: its returns would be real
			callers.put("client " + scope, token("pos", "subject", "matrix-client", "scope", scope));
		}
		List<String> failures = new ArrayList<>();
		operations().forEach((name, operation) -> {
			String[] who = table.get(name);
			assertThat(who).as("README row for " + name).isNotNull();
			Map<String, Object> ghosts = ghosts(operation.variables());
			callers.forEach((caller, token) -> {
				boolean mayPass = mayPass(who, caller);
				// a member may send 10 a second (burst 30) and this sends them all it has: a 429 waits its turn
				List<ResponseError> errors = await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
						.ignoreExceptionsMatching(e -> String.valueOf(e.getMessage()).contains("429"))
						.until(() -> graphQl(token).document(operation.document()).variables(ghosts).execute().returnResponse()
								.getErrors(), answered -> true);
				boolean refusedByRule = errors.stream().anyMatch(e -> e.getExtensions().containsKey("allowed"));
				if (refusedByRule == mayPass) {
					failures.add(name + " for " + caller + ": the README says " + (mayPass ? "yes" : "no") + ", the rule "
							+ (refusedByRule ? "refused: " + errors.get(0).getMessage() : "let it through: " + errors));
				}
			});
		});
		assertThat(failures).isEmpty();
	}

	/** The README's words for a caller: member "no" or not, a client's scopes in backquotes or "yes", staff roles or "any role". */
	private static boolean mayPass(String[] who, String caller) {
		if (caller.equals("member")) {
			return !who[0].equals("no");
		}
		if (caller.startsWith("client ")) {
			return who[1].equals("yes") || who[1].contains("`" + caller.substring("client ".length()) + "`");
		}
		String role = caller.substring("staff ".length());
		return who[2].equals("any role") || java.util.Arrays.asList(who[2].split(",\\s*")).contains(role);
	}

	/** The operation's variables with every id replaced by one that names nothing. */
	private Map<String, Object> ghosts(Map<String, Object> variables) {
		Map<String, Object> ghosts = new HashMap<>();
		variables.forEach((name, value) -> ghosts.put(name, switch (name) {
			case "m", "r" -> "m_" + java.util.UUID.randomUUID().toString().replace("-", "");
			case "input" -> {
				@SuppressWarnings("unchecked")
				Map<String, Object> input = new HashMap<>((Map<String, Object>) value);
				input.put("programId", "ghost-" + key());
				yield input;
			}
			case "e" -> "ghost-" + key() + "@example.com";
			default -> "ghost-" + key();
		}));
		return ghosts;
	}

	@Test
	void staffAndClientsOfAnotherProgramReachNothingOfThisOne() {
		List<String> failures = new ArrayList<>();
		operations().forEach((name, operation) -> {
			List<String> reasons = new ArrayList<>();
			for (String token : List.of(staffOther, clientOther)) {
				String who = token.equals(staffOther) ? "staff of " + OTHER : "client of " + OTHER;
				GraphQlResponse response = graphQl(token).document(operation.document()).variables(operation.variables())
						.execute().returnResponse();
				List<ResponseError> errors = response.getErrors();
				Map<String, Object> answered = response.getData();
				Object data = answered == null ? null : answered.get(name);
				if (errors.isEmpty()) {
					if (operation.expect() != Expect.NOTHING || shows(data)) {
						failures.add(name + " answered " + who + ": " + data);
					}
					continue;
				}
				for (ResponseError error : errors) {
					Object code = error.getExtensions().get("code");
					if (!"FORBIDDEN".equals(code) && !"NOT_FOUND".equals(code)) {
						failures.add(name + " refused " + who + " with " + code + ": " + error.getMessage());
					}
					reasons.add(error.getMessage());
				}
				if (shows(data)) {
					failures.add(name + " answered data to " + who + ": " + response.toMap());
				}
			}
			if (operation.expect() == Expect.BOUNDARY
					&& reasons.stream().noneMatch(r -> r.contains("does not cover program '" + ACME + "'"))) {
				failures.add(name + " was refused at the door only, never by the program boundary: " + reasons);
			}
		});
		assertThat(failures).isEmpty();
		assertThat(acmeAsItStands()).as("the program and its member, unchanged").isEqualTo(before);
	}

	@Test
	void subscriptionsFollowNothingBeyondTheProgram() {
		String points = "subscription($m: ID!) { pointsAccount(memberId: $m) { available } }";
		String offers = "subscription($m: ID!) { offerAssigned(memberId: $m) { id } }";
		for (String document : List.of(points, offers)) {
			assertThatThrownBy(() -> socket(staffOther).document(document).variable("m", member).executeSubscription()
					.blockFirst(Duration.ofSeconds(15)))
					.isInstanceOfSatisfying(SubscriptionErrorException.class, e -> assertThat(e.getErrors()).singleElement()
							.satisfies(error -> {
								assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN");
								assertThat(error.getMessage()).isEqualTo("Your token does not cover program '" + ACME + "'");
							}));
		}
		assertThatThrownBy(() -> socket(clientOther).document(points).variable("m", member).executeSubscription()
				.blockFirst(Duration.ofSeconds(15)))
				.isInstanceOfSatisfying(SubscriptionErrorException.class, e -> assertThat(e.getErrors()).singleElement()
						.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN")));
	}

	@Test
	void aTokenThatNamesTheProgramReachesIt() {
		String staff = token("staff", "subject", "ops-" + ACME, "roles", "support", "programs", OTHER + "," + ACME);
		graphQl(staff).document("query($m: ID!) { member(id: $m) { id points { available } } }").variable("m", member)
				.execute().path("member.id").entity(String.class).isEqualTo(member);
		String till = token("pos", "subject", "pos-" + ACME, "scope", "members:read points:read points:write", "programs", ACME);
		graphQl(till).document("query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { id } }")
				.variable("p", ACME).variable("c", cardNumber).execute().path("memberByIdentifier.id").entity(String.class)
				.isEqualTo(member);
		graphQl(till).document("query($c: String!) { checkCoupon(code: $c) { status } }").variable("c", coupon).execute()
				.path("checkCoupon.status").entity(String.class).isEqualTo("VALID");
		graphQl(till).document("""
				mutation($m: ID!) { earnPoints(input: {memberId: $m, points: 1, source: {channel: IN_STORE, store: "s1"},
				  transactionId: "t-dry", idempotencyKey: "key-dry-run-1", dryRun: true}) { replayed } }""")
				.variable("m", member).execute().path("earnPoints.replayed").entity(Boolean.class).isEqualTo(false);
	}

	/**
	 * Whether an answer shows anything: a refused connection field is answered as an empty
	 * connection beside its error (Spring GraphQL's connection support), which shows nothing.
	 */
	static boolean shows(Object data) {
		if (data instanceof Map<?, ?> map) {
			return map.values().stream().anyMatch(ProgramBoundaryApiTest::shows);
		}
		if (data instanceof List<?> list) {
			return !list.isEmpty();
		}
		return data != null;
	}

	WebSocketGraphQlClient socket(String token) {
		return WebSocketGraphQlClient.builder("ws://localhost:" + port + "/graphql-ws", new ReactorNettyWebSocketClient())
				.interceptor(new WebSocketGraphQlClientInterceptor() {
					@Override
					public Mono<Object> connectionInitPayload() {
						return Mono.just(Map.of("Authorization", "Bearer " + token));
					}
				}).build();
	}

	/** The root fields of every schema file, extensions included. */
	static Set<String> operationsOfTheSchema() throws IOException {
		TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
		for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:graphql/**/*.graphqls")) {
			try (InputStream in = file.getInputStream()) {
				registry.merge(new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			}
		}
		Set<String> names = new TreeSet<>();
		for (String root : List.of("Query", "Mutation", "Subscription")) {
			registry.getType(root, ObjectTypeDefinition.class)
					.ifPresent(t -> t.getFieldDefinitions().stream().map(FieldDefinition::getName).forEach(names::add));
			for (ObjectTypeExtensionDefinition extension : registry.objectTypeExtensions().getOrDefault(root, List.of())) {
				extension.getFieldDefinitions().stream().map(FieldDefinition::getName).forEach(names::add);
			}
		}
		return names;
	}
}
