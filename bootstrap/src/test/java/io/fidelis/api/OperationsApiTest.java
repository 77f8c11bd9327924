package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What operators and developers reach without a token: health, metrics, GraphiQL, the dev issuer's discovery. */
class OperationsApiTest extends ApiTest {

	@Test
	void healthIncludesMongoDb() {
		http().get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.status").isEqualTo("UP");
		http().get().uri("/actuator/health").header("Authorization", "Bearer " + staffAdmin()).exchange()
				.expectStatus().isOk().expectBody()
				.jsonPath("$.components.mongo.status").isEqualTo("UP")
				.jsonPath("$.components.mongo.details.mode").isEqualTo("embedded");
	}

	@Test
	void readinessNeedsTheStoreLivenessDoesNotAndEventsAndWebhooksHaveTheirOwnComponents() {
		http().get().uri("/actuator/health/readiness").header("Authorization", "Bearer " + staffAdmin()).exchange()
				.expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
				.jsonPath("$.components.mongo.status").isEqualTo("UP")
				.jsonPath("$.components.readinessState.status").isEqualTo("UP");
		http().get().uri("/actuator/health/liveness").header("Authorization", "Bearer " + staffAdmin()).exchange()
				.expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP")
				.jsonPath("$.components.mongo").doesNotExist();
		http().get().uri("/actuator/health").header("Authorization", "Bearer " + staffAdmin()).exchange()
				.expectStatus().isOk().expectBody().jsonPath("$.components.events.status").isEqualTo("UP")
				.jsonPath("$.components.events.details.maxAgeSeconds").isEqualTo(300)
				.jsonPath("$.components.webhooks.status").isEqualTo("UP")
				.jsonPath("$.components.webhooks.details.maxAgeSeconds").isEqualTo(300);
	}

	@Test
	void prometheusScrapesMetrics() {
		program("acme"); // some GraphQL traffic to measure
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		assertThat(scrape).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds")
				.contains("graphql_request_seconds").contains("fidelis_points_settlement_owed")
				.contains("fidelis_points_desk_batches_total").contains("fidelis_points_desk_together_total")
				// program("acme") wrote at least the program: the store counts changes per collection
				.containsPattern("fidelis_store_changes_total\\{[^}]*collection=\"fidelis\\.members_programs\"[^}]*} [1-9]")
				// each module listener's backlog, named short: module, class, method and event
				.containsPattern("fidelis_events_waiting\\{listener=\"[a-z]+\\.[A-Z]\\w*\\.\\w+\\([A-Z]\\w*\\)\"}")
				.contains("fidelis_events_oldest_seconds{");
	}

	/**
	 * Log events are counted by level under Spring Boot's name, by an appender: no turbo filter
	 * is asked on every {@code isDebugEnabled()} of every library. (The counting itself, and its
	 * surviving a reset of the logging configuration, is {@code LogEventCountsTest}'s: in a test
	 * run each new application context configures logging anew and stops the old configuration.)
	 */
	@Test
	void logEventsAreCountedByLevelWithoutATurboFilter(
			@org.springframework.beans.factory.annotation.Autowired io.micrometer.core.instrument.binder.logging.LogbackMetrics logback) {
		assertThat(logback.getClass().getName()).isEqualTo("io.fidelis.bootstrap.metrics.LogEventCounts$Counting");
		var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
		assertThat(context.getTurboFilterList()).isEmpty();
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		for (String level : List.of("error", "warn", "info", "debug", "trace")) {
			assertThat(scrape).containsPattern("(?m)^logback_events_total\\{[^}]*level=\"" + level + "\"[^}]*} ");
		}
	}

	/**
	 * Operations are timed by their top field, with buckets for percentiles, and errors
	 * counted by code: tags the schema bounds, whatever a client names its operation.
	 */
	@Test
	void operationsAreTimedAndRefusalsCountedByTopFieldAndCode() {
		String program = program("metrics-" + key());
		String member = memberNamed(program);
		double okBefore = scraped("fidelis_graphql_operations_seconds_count", "field=\"member\"");
		double forbiddenBefore = scraped("fidelis_graphql_errors_total", "field=\"defineProgram\"", "code=\"FORBIDDEN\"");
		graphQl(staffAdmin()).document("query Anything($m: ID!) { member(id: $m) { id } }").variable("m", member).execute()
				.path("member.id").entity(String.class).isEqualTo(member);
		graphQl(pos()).document("""
				mutation { defineProgram(input: {id: "nope", name: "No", currencies: ["EUR"], regions: ["FR"], timeZone: "UTC"}) {
				  program { id } } }""").execute().errors().satisfy(e -> assertThat(e).isNotEmpty());
		graphQl(staffAdmin()).document("{ noSuchField }").execute().errors().satisfy(e -> assertThat(e).isNotEmpty());
		assertThat(scraped("fidelis_graphql_operations_seconds_count", "field=\"member\""))
				.isEqualTo(okBefore + 1);
		assertThat(scraped("fidelis_graphql_errors_total", "field=\"defineProgram\"", "code=\"FORBIDDEN\""))
				.isEqualTo(forbiddenBefore + 1);
		assertThat(scraped("fidelis_graphql_errors_total", "field=\"(invalid)\"", "code=\"VALIDATION\""))
				.isPositive();
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		assertThat(scrape).as("buckets, for histogram_quantile").containsPattern(
				"fidelis_graphql_operations_seconds_bucket\\{[^}]*field=\"member\"[^}]*le=\"0\\.05\"")
				.as("the client's name for its operation is no tag").doesNotContain("Anything");
	}

	/**
	 * Business figures after a workload equal what the workload did: an enrollment, an earn, a
	 * redemption, a purchase that triggers a bonus offer. Tagged by program, so other tests'
	 * traffic does not count here.
	 */
	@Test
	void businessFiguresCountWhatMembersDid() {
		String program = program("figures-" + key());
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"web\", name: \"Web\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(staffAdmin()).document("""
				mutation($input: OfferInput!) { createOffer(input: $input) { offer { id } } }""")
				.variable("input", Map.of("programId", program, "name", "Welcome bonus", "kind", "BONUS", "bonusPoints", 5,
						"trigger", "PURCHASE", "validFrom", java.time.Instant.now().minusSeconds(60).toString(),
						"validUntil", java.time.Instant.now().plusSeconds(3_600).toString()))
				.execute().path("createOffer.offer.id").hasValue();
		String p = "program=\"" + program + "\"";
		String member = memberNamed(program);
		graphQl(pos()).document("""
				mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { delta } } }""")
				.variable("input", Map.of("memberId", member, "points", 30, "transactionId", key(), "idempotencyKey", key(),
						"source", Map.of("channel", "IN_STORE"))).execute().path("earnPoints.entry.delta").entity(Long.class).isEqualTo(30L);
		graphQl(pos()).document("""
				mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { delta } } }""")
				.variable("input", Map.of("memberId", member, "points", 10, "idempotencyKey", key(),
						"source", Map.of("channel", "APP"))).execute().path("redeemPoints.entry.delta").entity(Long.class).isEqualTo(-10L);
		long purchased = graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }")
				.variable("input", Map.of("programId", program, "member", Map.of("memberId", member), "orderId", "o-" + key(),
						"store", "web", "channel", "ONLINE", "currency", "EUR", "total", "20.00",
						"lines", List.of(Map.of("sku", "s1", "category", "c1", "quantity", "1", "unitPrice", "20.00"))))
				.execute().path("recordPurchase.pointsEarned").entity(Long.class).get();

		assertThat(scraped("fidelis_members_enrolled_total", p, "channel=\"INTEGRATION\"")).isEqualTo(1);
		assertThat(scraped("fidelis_purchases_recorded_total", p, "channel=\"ONLINE\"")).isEqualTo(1);
		assertThat(scraped("fidelis_points_movements_total", p, "type=\"EARNED\"", "channel=\"IN_STORE\"")).isEqualTo(1);
		assertThat(scraped("fidelis_points_moved_points_total", p, "type=\"EARNED\"", "channel=\"IN_STORE\"")).isEqualTo(30);
		assertThat(scraped("fidelis_points_moved_points_total", p, "type=\"REDEEMED\"", "channel=\"APP\"")).isEqualTo(10);
		assertThat(scraped("fidelis_points_moved_points_total", p, "type=\"EARNED\"", "channel=\"ONLINE\"")).isEqualTo(purchased);
		// the bonus offer follows the purchase, after the answer
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(scraped("fidelis_offers_assigned_total", p, "kind=\"BONUS\"")).isEqualTo(1);
			assertThat(scraped("fidelis_offers_redeemed_total", p, "kind=\"BONUS\"")).isEqualTo(1);
		});
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		assertThat(scrape).as("no member id is a tag").doesNotContain(member);
	}

	private String memberNamed(String program) {
		return graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute()
				.path("enrollMember.member.id").entity(String.class).get();
	}

	/** The second time a document arrives it is not parsed again: a hit of the document cache. */
	@Test
	void aDocumentSentAgainIsServedFromTheParsedDocuments() {
		String token = staffAdmin();
		String document = "{ __typename aDocumentSentAgain: __typename }";
		double hits = cacheHits();
		graphQl(token).document(document).execute().path("aDocumentSentAgain").entity(String.class).isEqualTo("Query");
		graphQl(token).document(document).execute().path("aDocumentSentAgain").entity(String.class).isEqualTo("Query");
		assertThat(cacheHits()).isGreaterThanOrEqualTo(hits + 1);
	}

	private double cacheHits() {
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		var hit = java.util.regex.Pattern.compile("cache_gets_total\\{[^}]*cache=\"graphql_documents\"[^}]*result=\"hit\"[^}]*} (\\S+)")
				.matcher(scrape);
		assertThat(hit.find()).as("the document cache is measured").isTrue();
		return Double.parseDouble(hit.group(1));
	}

	@Test
	void otherActuatorEndpointsNeedAStaffAdmin() {
		http().get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void graphiqlAnswersInDevelopment() {
		http().get().uri("/graphiql").exchange().expectStatus().isTemporaryRedirect().expectHeader()
				.value("Location", location -> assertThat(location).contains("/graphiql?path=/graphql"));
		assertThat(http().get().uri("/graphiql?path=/graphql").exchange().expectStatus().isOk().expectBody(String.class)
				.returnResult().getResponseBody()).containsIgnoringCase("graphiql");
	}

	@Test
	void theDevelopmentIssuerPublishesDiscoveryAndKeys() {
		http().get().uri("/dev-issuer/.well-known/openid-configuration").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.issuer").isEqualTo("http://localhost:" + port + "/dev-issuer")
				.jsonPath("$.jwks_uri").isEqualTo("http://localhost:" + port + "/dev-issuer/jwks");
		http().get().uri("/dev-issuer/jwks").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.keys[0].kty").isEqualTo("RSA")
				.jsonPath("$.keys[0].d").doesNotExist();
	}
}
