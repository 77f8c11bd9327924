package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.TestPropertySource;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks into a local HTTP receiver that checks every signature as a CRM should: deliveries
 * carry the event id and an HMAC over the timestamp and body, failures are retried with
 * back-off, a receiver that keeps failing gets its delivery parked as dead, and a manual
 * redelivery sends it again.
 */
@TestPropertySource(properties = { "fidelis.webhooks.first-retry=PT0.2S", "fidelis.webhooks.max-retry=PT1S",
		"fidelis.webhooks.max-attempts=4", "fidelis.webhooks.send-every=PT0.1S",
		"fidelis.webhooks.allowed-hosts=127.0.0.1" })
class WebhooksApiTest extends ApiTest {

	record Received(String path, Map<String, String> headers, String body) {
	}

	static final List<Received> received = new CopyOnWriteArrayList<>();
	/** Answers 500 this many times before answering 204. */
	static final AtomicInteger failFor = new AtomicInteger();
	static final HttpServer receiver = start();
	static final JsonMapper json = JsonMapper.builder().build();

	static HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", exchange -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				Map<String, String> headers = new java.util.HashMap<>();
				exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
				received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
				boolean fail = exchange.getRequestURI().getPath().startsWith("/broken") || failFor.getAndDecrement() > 0;
				exchange.sendResponseHeaders(fail ? 500 : 204, -1);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	@AfterAll
	static void stop() {
		receiver.stop(0);
	}

	String url(String path) {
		return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
	}

	String crm(String client) {
		return token("pos", "subject", client, "scope", "webhooks");
	}

	static final String CREATE = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url eventTypes } } }";
	static final String DELIVERIES = "query($id: ID!, $s: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $id, status: $s) { edges { node { id eventId eventType status attempts lastStatus lastError payload createdAt nextAttemptAt deliveredAt } } } }";

	Map<String, Object> create(String token, String path, List<String> types) {
		return graphQl(token).document(CREATE).variable("input", Map.of("url", url(path), "eventTypes", types)).execute()
				.path("createWebhook").entity(new ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
	}

	static boolean signedWith(String secret, Received r) throws Exception {
		String[] parts = r.headers().get("fidelis-signature").split(",");
		String t = parts[0].substring(2);
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
		return parts[1].equals("v1=" + expected) && Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) < 300;
	}

	/**
	 * The Standard Webhooks check (standardwebhooks.com), written from its specification: the key
	 * is the secret's base64 after {@code whsec_}; the signed content {@code id.timestamp.body}.
	 */
	static boolean signedTheStandardWay(String secret, Received r) throws Exception {
		String id = r.headers().get("webhook-id");
		String timestamp = r.headers().get("webhook-timestamp");
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
		String expected = java.util.Base64.getEncoder()
				.encodeToString(mac.doFinal((id + "." + timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
		return java.util.Arrays.asList(r.headers().get("webhook-signature").split(" ")).contains("v1," + expected)
				&& Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300;
	}

	String enrollAndEarn(String program) {
		String member = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		graphQl(pos()).document("""
				mutation($m: ID!, $k: String!) { earnPoints(input: {memberId: $m, amount: "12.00", currency: "EUR",
				  source: {channel: IN_STORE, region: "FR"}, transactionId: $k, idempotencyKey: $k}) { entry { availableAfter } } }""")
				.variable("m", member).variable("k", key()).execute().path("earnPoints.entry.availableAfter").hasValue();
		return member;
	}

	@Test
	void a_referred_enrollment_names_its_referrer() throws Exception {
		String program = program("hooks-ref");
		String token = crm("crm-ref");
		// this program only: the receiver's failure counter is the other tests' too
		graphQl(token).document(CREATE).variable("input", Map.of("url", url("/crm-ref"), "eventTypes", List.of("MEMBER_ENROLLED"),
				"programs", List.of(program))).execute().path("createWebhook.webhook.id").hasValue();
		String ann = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		String code = graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { referralCode } }").variable("id", ann)
				.execute().path("member.referralCode").entity(String.class).get();
		Map<String, Object> friend = new java.util.HashMap<>(enrollment(program, key() + "@example.com", key()));
		friend.put("referralCode", code);
		String bob = graphQl(pos()).document(ENROLL).variable("input", friend).execute().path("enrollMember.member.id")
				.entity(String.class).get();

		// both deliveries in, then bob's names ann and ann's nobody
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(received.stream()
				.filter(r -> r.path().equals("/crm-ref")).map(r -> json.readTree(r.body()).get("data"))).hasSize(2));
		assertThat(received.stream().filter(r -> r.path().equals("/crm-ref")).map(r -> json.readTree(r.body()).get("data"))
				.toList()).allSatisfy(data -> assertThat(data.get("referredBy").isNull() ? null : data.get("referredBy").asString())
						.isEqualTo(data.get("memberId").asString().equals(bob) ? ann : null))
				.anySatisfy(data -> assertThat(data.get("memberId").asString()).isEqualTo(bob));
	}

	@Test
	void a_recorded_purchase_arrives_with_the_balance_it_left() throws Exception {
		String program = program("hooks-buy");
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"paris-01\", name: \"Paris\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(crm("crm-buy")).document(CREATE).variable("input", Map.of("url", url("/crm-buy"), "eventTypes",
				List.of("PURCHASE_RECORDED"), "programs", List.of(program))).execute().path("createWebhook.webhook.id").hasValue();
		String member = enrollAndEarn(program); // 12 points
		String order = key();
		graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { balance } }")
				.variable("input", PurchasesApiTest.purchase(program, Map.of("memberId", member), order,
						List.of(PurchasesApiTest.line("BREAD", "bakery", "1", "30.00")), "30.00"))
				.execute().path("recordPurchase.balance").entity(Long.class).isEqualTo(42L);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(received.stream()
				.filter(r -> r.path().equals("/crm-buy"))).hasSize(1));
		var data = json.readTree(received.stream().filter(r -> r.path().equals("/crm-buy")).findFirst().orElseThrow().body())
				.get("data");
		assertThat(data.get("orderId").asString()).isEqualTo(order);
		assertThat(data.get("points").asLong()).isEqualTo(30);
		assertThat(data.get("available").asLong()).as("the balance once the purchase was credited").isEqualTo(42);
	}

	@Test
	void a_crm_hears_of_reward_redemptions_with_their_codes_of_low_stock_and_of_refunds() throws Exception {
		String program = program("hooks-rewards");
		graphQl(crm("crm-rewards")).document(CREATE).variable("input", Map.of("url", url("/crm-rewards"), "eventTypes",
				List.of("REWARD_REDEEMED", "REWARD_REFUNDED", "REWARD_STOCK_LOW"), "programs", List.of(program)))
				.execute().path("createWebhook.webhook.id").hasValue();
		graphQl(staffAdmin()).document(RewardsApiTest.DEFINE).variable("input", Map.of("programId", program, "rewardId",
				"cinema", "name", "Cinema ticket", "points", 5, "stock", 3, "lowStockAt", 1, "fulfilment", "GENERATED_CODE"))
				.execute().path("defineReward.reward.id").hasValue();
		String member = enrollAndEarn(program); // 12 points
		List<String> codes = new java.util.ArrayList<>();
		List<String> ids = new java.util.ArrayList<>();
		for (int i = 0; i < 2; i++) {
			var redeemed = graphQl(pos()).document(RewardsApiTest.REDEEM)
					.variable("input", RewardsApiTest.redemption(member, "cinema", key())).execute();
			codes.add(redeemed.path("redeemCatalogReward.redemption.code").entity(String.class).get());
			ids.add(redeemed.path("redeemCatalogReward.redemption.id").entity(String.class).get());
		}
		graphQl(staffAdmin()).document(RewardsApiTest.REFUND).variable("id", ids.get(0)).variable("why", "closed")
				.execute().path("refundRewardRedemption.redemption.status").entity(String.class).isEqualTo("REFUNDED");

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(received.stream()
				.filter(r -> r.path().equals("/crm-rewards"))).hasSize(4));
		Map<String, List<tools.jackson.databind.JsonNode>> byType = new java.util.HashMap<>();
		for (Received r : received.stream().filter(r -> r.path().equals("/crm-rewards")).toList()) {
			var body = json.readTree(r.body());
			byType.computeIfAbsent(body.get("type").asString(), t -> new java.util.ArrayList<>()).add(body.get("data"));
		}
		assertThat(byType.get("reward.redeemed")).extracting(d -> d.get("code").asString())
				.containsExactlyInAnyOrderElementsOf(codes);
		assertThat(byType.get("reward.redeemed")).allSatisfy(d -> {
			assertThat(d.get("memberId").asString()).isEqualTo(member);
			assertThat(d.get("rewardName").asString()).isEqualTo("Cinema ticket");
		});
		assertThat(byType.get("reward.stock_low")).singleElement().satisfies(d -> {
			assertThat(d.get("rewardId").asString()).isEqualTo("cinema");
			assertThat(d.get("remaining").asLong()).isEqualTo(1);
		});
		assertThat(byType.get("reward.refunded")).singleElement().satisfies(d -> {
			assertThat(d.get("redemptionId").asString()).isEqualTo(ids.get(0));
			assertThat(d.get("reason").asString()).isEqualTo("closed");
		});
	}

	@Test
	void a_crm_hears_when_a_member_completes_a_challenge() throws Exception {
		String program = program("hooks-challenge");
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"paris-01\", name: \"Paris\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(staffAdmin()).document(ChallengesApiTest.DEFINE).variable("input", Map.of("programId", program, "challengeId",
				"first-buy", "name", "First purchase", "goal", "PURCHASES", "target", "1", "validFrom",
				Instant.now().minusSeconds(3_600).toString(), "validUntil", Instant.now().plusSeconds(86_400).toString(),
				"rewardPoints", 75)).execute().path("defineChallenge.challenge.id").hasValue();
		graphQl(crm("crm-challenge")).document(CREATE).variable("input", Map.of("url", url("/crm-challenge"), "eventTypes",
				List.of("CHALLENGE_COMPLETED"), "programs", List.of(program))).execute().path("createWebhook.webhook.id").hasValue();
		String member = enrollAndEarn(program);
		graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { balance } }")
				.variable("input", PurchasesApiTest.purchase(program, Map.of("memberId", member), key(),
						List.of(PurchasesApiTest.line("BREAD", "bakery", "1", "3.00")), "3.00"))
				.execute().path("recordPurchase.balance").hasValue();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(received.stream()
				.filter(r -> r.path().equals("/crm-challenge"))).hasSize(1));
		var body = json.readTree(received.stream().filter(r -> r.path().equals("/crm-challenge")).findFirst().orElseThrow().body());
		assertThat(body.get("type").asString()).isEqualTo("challenge.completed");
		assertThat(body.get("data").get("memberId").asString()).isEqualTo(member);
		assertThat(body.get("data").get("challengeId").asString()).isEqualTo("first-buy");
		assertThat(body.get("data").get("rewardPoints").asLong()).isEqualTo(75);
	}

	@Test
	void subscribed_events_arrive_signed_with_their_event_id_and_failures_are_retried() throws Exception {
		String program = program("hooks-ok");
		String token = crm("crm-ok");
		Map<String, Object> hook = create(token, "/crm-ok", List.of("MEMBER_ENROLLED", "POINTS_EARNED"));
		String secret = (String) hook.get("secret");
		failFor.set(2); // the receiver's first two answers are 500s
		String member = enrollAndEarn(program);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Received> mine = received.stream().filter(r -> r.path().equals("/crm-ok")).toList();
			assertThat(mine.stream().map(r -> r.headers().get("fidelis-event-type")).distinct())
					.containsExactlyInAnyOrder("member.enrolled", "points.earned");
			String hookId = (String) ((Map<?, ?>) hook.get("webhook")).get("id");
			assertThat(graphQl(token).document(DELIVERIES).variable("id", hookId).variable("s", "DELIVERED").execute()
					.path("webhookDeliveries.edges").entityList(Object.class).get()).hasSize(2);
		});
		List<Received> mine = received.stream().filter(r -> r.path().equals("/crm-ok")).toList();
		assertThat(mine.size()).as("two events, and the two 500s retried").isGreaterThanOrEqualTo(4);
		assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
		for (Received r : mine) {
			assertThat(signedWith(secret, r)).as("signature of " + r.body()).isTrue();
			assertThat(signedTheStandardWay(secret, r)).as("Standard Webhooks signature of " + r.body()).isTrue();
			assertThat(r.headers().get("webhook-id")).isEqualTo(r.headers().get("fidelis-delivery-id")).startsWith("whd_");
			assertThat(r.headers()).as("plain HTTP is spoken in HTTP/1.1").doesNotContainKeys("upgrade", "http2-settings");
			JsonNode body = json.readTree(r.body());
			assertThat(body.get("id").asString()).isEqualTo(r.headers().get("fidelis-event-id")).startsWith("evt_");
			assertThat(body.get("type").asString()).isEqualTo(r.headers().get("fidelis-event-type"));
			assertThat(body.get("data").get("memberId").asString()).isEqualTo(member);
		}
		// a retry is the same event: same id, same body; its attempt number counts up
		assertThat(mine.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.headers().get("webhook-id"),
				java.util.stream.Collectors.mapping(r -> r.headers().get("fidelis-attempt"), java.util.stream.Collectors.toList()))))
				.allSatisfy((id, attempts) -> assertThat(attempts).isEqualTo(java.util.stream.IntStream
						.rangeClosed(1, attempts.size()).mapToObj(Integer::toString).toList()));
		assertThat(signedTheStandardWay("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), mine.get(0)))
				.isFalse();
		assertThat(mine.stream().filter(r -> r.headers().get("fidelis-event-type").equals(mine.get(0).headers().get("fidelis-event-type")))
				.map(Received::body).distinct()).hasSize(1);
		JsonNode earned = json.readTree(mine.stream().filter(r -> r.headers().get("fidelis-event-type").equals("points.earned"))
				.findFirst().orElseThrow().body());
		assertThat(earned.get("data").get("delta").asLong()).isEqualTo(12);
		assertThat(signedWith("whsec_wrong", mine.get(0))).isFalse();
		// the welcome message can carry the member's card page
		JsonNode enrolled = json.readTree(mine.stream().filter(r -> r.headers().get("fidelis-event-type").equals("member.enrolled"))
				.findFirst().orElseThrow().body());
		assertThat(enrolled.get("data").get("referredBy").isNull()).as("named nobody's referral code").isTrue();
		java.net.URI page = java.net.URI.create(enrolled.get("data").get("cardPage").get("url").asString());
		assertThat(page.getPath()).isEqualTo("/cards/page/" + member);
		assertThat(java.time.Instant.parse(enrolled.get("data").get("cardPage").get("expiresAt").asString()))
				.isAfter(java.time.Instant.now().plus(Duration.ofDays(29)));
		assertThat(http().get().uri(page.getRawPath() + "?" + page.getRawQuery()).exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody()).contains("id=\"card-number\"");

		// the listing and the deliveries carry their instants as DateTime
		String hookId = (String) ((Map<?, ?>) hook.get("webhook")).get("id");
		java.time.Instant created = java.time.Instant.parse(graphQl(token).document("{ webhooks { id createdAt } }").execute()
				.path("webhooks[0].createdAt").entity(String.class).get());
		GraphQlTester.Response delivered = graphQl(token).document(DELIVERIES).variable("id", hookId)
				.variable("s", "DELIVERED").execute();
		java.time.Instant queued = java.time.Instant.parse(delivered.path("webhookDeliveries.edges[0].node.createdAt").entity(String.class).get());
		java.time.Instant done = java.time.Instant.parse(delivered.path("webhookDeliveries.edges[0].node.deliveredAt").entity(String.class).get());
		assertThat(created).isBeforeOrEqualTo(queued);
		assertThat(queued).isBeforeOrEqualTo(done);
		assertThat(scraped("fidelis_webhooks_attempts_total", "outcome=\"DELIVERED\"")).isGreaterThanOrEqualTo(2);
		assertThat(scraped("fidelis_webhooks_delivery_latency_seconds_count")).isGreaterThanOrEqualTo(2);
		assertThat(scraped("fidelis_webhooks_delivery_latency_seconds_max")).as("the retried ones waited their back-off")
				.isGreaterThan(0.2);
		assertThat(http().get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
				.getResponseBody()).contains("fidelis_webhooks_pending ");
		delivered.path("webhookDeliveries.edges[0].node.nextAttemptAt").valueIsNull();
	}

	@Test
	void a_receiver_that_keeps_failing_gets_its_delivery_parked_dead_then_redelivered_by_hand() {
		String program = program("hooks-dead");
		String token = crm("crm-dead");
		Map<String, Object> hook = create(token, "/broken", List.of("MEMBER_ENROLLED"));
		String hookId = (String) ((Map<?, ?>) hook.get("webhook")).get("id");
		double dead = scraped("fidelis_webhooks_attempts_total", "outcome=\"DEAD\"");
		double retrying = scraped("fidelis_webhooks_attempts_total", "outcome=\"RETRYING\"");
		enrollAndEarn(program);
		await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> graphQl(token).document(DELIVERIES).variable("id", hookId)
				.variable("s", "DEAD").execute().path("webhookDeliveries.edges[0].node.attempts").entity(Integer.class).isEqualTo(4)
				.path("webhookDeliveries.edges[0].node.lastStatus").entity(Integer.class).isEqualTo(500));
		// counted: three attempts retried, the fourth parked it
		assertThat(scraped("fidelis_webhooks_attempts_total", "outcome=\"DEAD\"")).isGreaterThanOrEqualTo(dead + 1);
		assertThat(scraped("fidelis_webhooks_attempts_total", "outcome=\"RETRYING\"")).isGreaterThanOrEqualTo(retrying + 3);
		String delivery = graphQl(token).document(DELIVERIES).variable("id", hookId).variable("s", "DEAD").execute()
				.path("webhookDeliveries.edges[0].node.id").entity(String.class).get();
		// each by its id, for its own client only, also through node(id)
		graphQl(token).document("query($d: ID!, $w: ID!) { webhookDelivery(id: $d) { id status webhookId } webhook(id: $w) { id url } }")
				.variable("d", delivery).variable("w", hookId).execute()
				.path("webhookDelivery.status").entity(String.class).isEqualTo("DEAD")
				.path("webhookDelivery.webhookId").entity(String.class).isEqualTo(hookId)
				.path("webhook.url").entity(String.class).isEqualTo(url("/broken"));
		String node = "query($id: ID!) { node(id: $id) { __typename id ... on WebhookDelivery { status } ... on Webhook { url } } }";
		graphQl(token).document(node).variable("id", delivery).execute()
				.path("node.__typename").entity(String.class).isEqualTo("WebhookDelivery")
				.path("node.status").entity(String.class).isEqualTo("DEAD");
		graphQl(token).document(node).variable("id", hookId).execute()
				.path("node.__typename").entity(String.class).isEqualTo("Webhook")
				.path("node.url").entity(String.class).isEqualTo(url("/broken"));
		refusedWith(graphQl(crm("someone-else")).document(node).variable("id", delivery), "NOT_FOUND");
		refusedWith(graphQl(crm("someone-else")).document(node).variable("id", hookId), "NOT_FOUND");
		refusedWith(graphQl(crm("someone-else")).document("query($w: ID!) { webhook(id: $w) { id } }").variable("w", hookId),
				"NOT_FOUND");
		refusedWith(graphQl(pos()).document("query($w: ID!) { webhook(id: $w) { id } }").variable("w", hookId), "FORBIDDEN");
		refusedWith(graphQl(token).document(node).variable("id", "whd_nosuchdelivery"), "NOT_FOUND");

		long before = received.stream().filter(r -> r.path().equals("/broken")).count();
		refusedWith(graphQl(crm("someone-else")).document("mutation($d: ID!) { redeliverWebhook(input: {deliveryId: $d}) { delivery { status } } }")
				.variable("d", delivery), "NOT_FOUND");
		graphQl(token).document("mutation($d: ID!) { redeliverWebhook(input: {deliveryId: $d}) { delivery { status attempts } } }").variable("d", delivery)
				.execute().path("redeliverWebhook.delivery.status").entity(String.class).isEqualTo("PENDING");
		await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(received.stream().filter(r -> r.path().equals("/broken")).count()).isGreaterThan(before);
			graphQl(token).document(DELIVERIES).variable("id", hookId).variable("s", "DEAD").execute()
					.path("webhookDeliveries.edges[0].node.id").entity(String.class).isEqualTo(delivery);
		});
	}

	@Test
	void a_webhook_hears_only_the_programs_it_names_within_its_clients_reach() {
		String a = program("hooks-a");
		String b = program("hooks-b");
		String bound = token("pos", "subject", "crm-a", "scope", "webhooks", "programs", a);
		String create = "mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id programs } } }";
		Map<String, Object> onlyA = graphQl(bound).document(create)
				.variable("input", Map.of("url", url("/crm-a"), "eventTypes", List.of("ALL"))).execute().path("createWebhook.webhook")
				.entity(new ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
		assertThat(onlyA.get("programs")).as("left out: the programs of the token").isEqualTo(List.of(a));
		refusedWith(graphQl(bound).document(create)
				.variable("input", Map.of("url", url("/crm-a"), "eventTypes", List.of("ALL"), "programs", List.of(a, b))), "FORBIDDEN");
		refusedWith(graphQl(bound).document(create)
				.variable("input", Map.of("url", url("/crm-a"), "eventTypes", List.of("ALL"), "programs", List.of("Not A Program"))),
				"VALIDATION");
		String platform = crm("crm-platform");
		Map<String, Object> onlyB = graphQl(platform).document(create)
				.variable("input", Map.of("url", url("/crm-b"), "eventTypes", List.of("ALL"), "programs", List.of(b))).execute()
				.path("createWebhook.webhook").entity(new ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
		assertThat(onlyB.get("programs")).isEqualTo(List.of(b));

		String inB = enrollAndEarn(b);
		String inA = enrollAndEarn(a);
		// an event goes to all its subscriptions at once: once B's hook has B's events, A's hook was passed over
		String events = "query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { edges { node { eventType payload } } } }";
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(graphQl(platform).document(events).variable("id", onlyB.get("id")).execute()
					.path("webhookDeliveries.edges[*].node.eventType").entityList(String.class).get())
					.contains("MEMBER_ENROLLED", "POINTS_EARNED");
			assertThat(graphQl(bound).document(events).variable("id", onlyA.get("id")).execute()
					.path("webhookDeliveries.edges[*].node.eventType").entityList(String.class).get())
					.contains("MEMBER_ENROLLED", "POINTS_EARNED");
		});
		List<String> heardByA = graphQl(bound).document(events).variable("id", onlyA.get("id")).execute()
				.path("webhookDeliveries.edges[*].node.payload").entityList(String.class).get();
		assertThat(heardByA).allSatisfy(payload -> assertThat(payload).contains(inA).doesNotContain(inB).doesNotContain(b));
		List<String> heardByB = graphQl(platform).document(events).variable("id", onlyB.get("id")).execute()
				.path("webhookDeliveries.edges[*].node.payload").entityList(String.class).get();
		assertThat(heardByB).allSatisfy(payload -> assertThat(payload).contains(inB).doesNotContain(inA));

		// the log a page at a time, newest first: the pages together are the whole log, once each
		String paged = """
				query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 1, after: $after) {
				  edges { node { id createdAt } } pageInfo { hasPreviousPage hasNextPage endCursor } } }""";
		List<String> whole = graphQl(bound).document("query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { edges { node { id } } } }")
				.variable("id", onlyA.get("id")).execute().path("webhookDeliveries.edges[*].node.id").entityList(String.class).get();
		List<String> pageByPage = new java.util.ArrayList<>();
		String after = null;
		boolean more = true;
		while (more) {
			var page = graphQl(bound).document(paged).variable("id", onlyA.get("id")).variable("after", after).execute();
			page.path("webhookDeliveries.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(after != null);
			pageByPage.addAll(page.path("webhookDeliveries.edges[*].node.id").entityList(String.class).get());
			more = page.path("webhookDeliveries.pageInfo.hasNextPage").entity(Boolean.class).get();
			after = page.path("webhookDeliveries.pageInfo.endCursor").entity(String.class).get();
		}
		assertThat(whole).hasSizeGreaterThanOrEqualTo(2);
		assertThat(pageByPage).isEqualTo(whole);
		refusedWith(graphQl(bound).document(paged).variable("id", onlyA.get("id")).variable("after", "%%%"), "VALIDATION");
		refusedWith(graphQl(bound).document(paged).variable("id", onlyA.get("id")).variable("after", "bm8tdGltZQ"), "VALIDATION"); // "no-time"
		refusedWith(graphQl(platform).document(paged).variable("id", onlyA.get("id")), "NOT_FOUND"); // another client's webhook
	}

	@Test
	void webhooks_post_to_public_addresses_only() {
		String token = crm("crm-ssrf");
		for (String url : List.of("http://localhost:" + port + "/actuator/health", "http://127.0.0.2:1/",
				"http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/hook", "http://[::1]:" + port + "/",
				"http://[fd00:ec2::254]/", "http://0.0.0.0:" + port + "/", "https://nobody.invalid/hook")) {
			graphQl(token).document(CREATE).variable("input", Map.of("url", url, "eventTypes", List.of("ALL"))).execute()
					.errors().satisfy(errors -> assertThat(errors).singleElement().satisfies(e -> {
						assertThat(e.getExtensions()).containsEntry("code", "VALIDATION").containsEntry("field", "url");
						assertThat(e.getMessage()).as(url).startsWith("Webhooks cannot post to ").doesNotContain("Exception");
					}));
		}
		assertThat(graphQl(token).document("{ webhooks { id } }").execute().path("webhooks").entityList(Object.class).get())
				.as("nothing was stored").isEmpty();
	}

	@Test
	void only_http_urls_known_event_types_and_integration_clients_with_the_scope() {
		String token = crm("crm-checks");
		for (String bad : List.of("ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@b.c",
				"http://user:pw@example.com/", "not a url", "https:///nohost")) {
			refusedWith(graphQl(token).document(CREATE).variable("input", Map.of("url", bad, "eventTypes", List.of("ALL"))), "VALIDATION");
		}
		refusedWith(graphQl(token).document(CREATE).variable("input", Map.of("url", url("/x"), "eventTypes", List.of("points.stolen"))),
				"VALIDATION");
		refusedWith(graphQl(token).document(CREATE).variable("input", Map.of("url", url("/x"), "eventTypes", List.of())), "VALIDATION");
		refusedWith(graphQl(pos()).document(CREATE).variable("input", Map.of("url", url("/x"), "eventTypes", List.of("ALL"))), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", Map.of("url", url("/x"), "eventTypes", List.of("ALL"))), "FORBIDDEN");
		refusedWith(graphQl(member("mia")).document(CREATE).variable("input", Map.of("url", url("/x"), "eventTypes", List.of("ALL"))), "FORBIDDEN");
		graphQl(token).document("{ webhooks { id } }").execute().path("webhooks").entityList(Object.class).hasSize(0);

		String id = (String) ((Map<?, ?>) create(token, "/y", List.of("ALL")).get("webhook")).get("id");
		refusedWith(graphQl(crm("crm-other")).document("mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedWebhookId } }").variable("id", id), "NOT_FOUND");
		refusedWith(graphQl(crm("crm-other")).document(DELIVERIES).variable("id", id), "NOT_FOUND");
		graphQl(token).document("mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedWebhookId } }").variable("id", id).execute()
				.path("deleteWebhook.deletedWebhookId").entity(String.class).isEqualTo(id);
		graphQl(token).document("{ webhooks { id } }").execute().path("webhooks").entityList(Object.class).hasSize(0);
	}
}
