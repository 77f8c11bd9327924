package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The network to MongoDB vanishes for ten seconds under a running Fidelis. Calls fail fast with
 * UNAVAILABLE (no hang), health says DOWN, and once the store is back Fidelis recovers by
 * itself: every acknowledged earning is there, every refused one retried with its own key counts
 * exactly once, and the report catches up with the ledger.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"fidelis.events.retry-after=PT2S", "fidelis.events.retry-every=PT2S",
		// the embedded server stands in for MongoDB here; it has no transactions (nor the hello command)
		"fidelis.mongodb.transactions=off" })
class StoreOutageTest {

	static final MongoServer STORE = new MongoServer(H2Backend.inMemory());
	static final CuttableProxy PROXY;

	static {
		try {
			STORE.bind("127.0.0.1", 0);
			PROXY = new CuttableProxy(STORE.getLocalAddress().getPort());
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@DynamicPropertySource
	static void storeBehindTheProxy(DynamicPropertyRegistry registry) {
		registry.add("fidelis.mongodb.uri", () -> "mongodb://127.0.0.1:" + PROXY.port() + "/fidelis");
	}

	@AfterAll
	static void stop() throws Exception {
		PROXY.close();
		STORE.shutdownNow();
	}

	@LocalServerPort
	int port;
	final ObjectMapper json = new ObjectMapper();

	@Test
	void callsFailFastDuringAnOutageAndNothingIsLostAfter() throws Exception {
		String staff = token("caller=staff&roles=admin");
		String pos = token("caller=pos");
		graphQl(staff, """
				mutation { defineProgram(input: {id: "outage", name: "Outage", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "Europe/Paris"}) { program { id } } }""", Map.of());
		JsonNode enrolled = graphQl(pos, "mutation($i: EnrollMemberInput!) { enrollMember(input: $i) { member { id } } }",
				Map.of("i", Map.of("programId", "outage", "email", "olga@example.com", "name", "Olga", "termsVersion", "v1",
						"idempotencyKey", UUID.randomUUID().toString())));
		String member = enrolled.path("data").path("enrollMember").path("member").path("id").asString();
		await().atMost(Duration.ofSeconds(10)).until(() -> !graphQl(staff,
				"query($id: ID!) { member(id: $id) { points { available } } }", Map.of("id", member))
				.path("data").path("member").path("points").isNull());

		long acknowledged = 0;
		for (int i = 0; i < 5; i++) {
			assertThat(earn(pos, member, 10, UUID.randomUUID().toString()).code()).isNull();
			acknowledged += 10;
		}

		PROXY.cut();
		long cutAt = System.nanoTime();
		List<String> refusedKeys = new ArrayList<>();
		List<Long> refusalMillis = new ArrayList<>();
		while (System.nanoTime() - cutAt < Duration.ofSeconds(10).toNanos()) {
			String key = UUID.randomUUID().toString();
			long t0 = System.nanoTime();
			Earned answer = earn(pos, member, 7, key);
			refusalMillis.add((System.nanoTime() - t0) / 1_000_000);
			if (answer.code() == null) {
				acknowledged += 7; // answered before the cut reached it
			}
			else {
				assertThat(answer.code()).as(answer.body()).isEqualTo("UNAVAILABLE");
				refusedKeys.add(key);
			}
		}
		int health = http().get().uri("/actuator/health").exchange().returnResult(String.class).getStatus().value();
		// an UNAVAILABLE answer tells the client when to retry
		String unavailableKey = UUID.randomUUID().toString();
		var refused = http().post().uri("/graphql").header("Authorization", "Bearer " + pos)
				.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query",
						"mutation($i: EarnPointsInput!) { earnPoints(input: $i) { entry { delta } } }", "variables",
						Map.of("i", Map.of("memberId", member, "points", 7, "transactionId", "tx-" + unavailableKey,
								"idempotencyKey", unavailableKey, "source", Map.of("channel", "IN_STORE")))))
				.exchange().expectHeader().valueEquals("Retry-After", "2").expectBody(String.class).returnResult();
		assertThat(refused.getResponseBody()).contains("UNAVAILABLE");
		refusedKeys.add(unavailableKey);
		PROXY.restore();

		System.out.printf("%nOutage of 10 s: %d calls refused as UNAVAILABLE, slowest refusal %d ms, health %d%n",
				refusedKeys.size(), refusalMillis.stream().mapToLong(Long::longValue).max().orElse(0), health);
		assertThat(refusedKeys).isNotEmpty();
		assertThat(refusalMillis).as("no hang: each call answers within the fail-fast time and a little")
				.allSatisfy(ms -> assertThat(ms).isLessThan(6_000));
		assertThat(health).as("health during the outage").isEqualTo(503);

		// back by itself: retrying each refused call with its own key counts it exactly once
		await().atMost(Duration.ofSeconds(30)).until(() -> earn(pos, member, 1, "probe-" + UUID.randomUUID()).code() == null);
		acknowledged += 1;
		long recovered = acknowledged;
		for (String key : refusedKeys) {
			assertThat(earn(pos, member, 7, key).code()).isNull();
			acknowledged += 7;
		}
		long expected = acknowledged;
		JsonNode account = graphQl(staff, "query($id: ID!) { member(id: $id) { points { available lifetimeEarned } } }",
				Map.of("id", member)).path("data").path("member").path("points");
		assertThat(account.path("available").asLong()).isEqualTo(expected);
		assertThat(account.path("lifetimeEarned").asLong()).isEqualTo(expected);
		assertThat(recovered).isLessThan(expected);
		assertThat(http().get().uri("/actuator/health").exchange().returnResult(String.class).getStatus().value())
				.isEqualTo(200);

		// the report catches up, including what its listeners could not count during the outage
		String today = LocalDate.now(ZoneId.of("Europe/Paris")).toString();
		await().atMost(Duration.ofSeconds(30)).until(() -> graphQl(staff,
				"query($d: Date!) { programReport(programId: \"outage\", from: $d, to: $d) { totals { issued } } }",
				Map.of("d", today)).path("data").path("programReport").path("totals").path("issued").asLong() == expected);
	}

	record Earned(String code, String body) {
	}

	private Earned earn(String token, String member, long points, String key) {
		JsonNode answer = graphQl(token, "mutation($i: EarnPointsInput!) { earnPoints(input: $i) { entry { delta } } }",
				Map.of("i", Map.of("memberId", member, "points", points, "transactionId", "tx-" + key, "idempotencyKey", key,
						"source", Map.of("channel", "IN_STORE"))));
		JsonNode errors = answer.path("errors");
		return new Earned(errors.isEmpty() ? null : errors.get(0).path("extensions").path("code").asString(),
				answer.toString());
	}

	private JsonNode graphQl(String token, String query, Map<String, Object> variables) {
		String body = http().post().uri("/graphql").header("Authorization", "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", query, "variables", variables)).exchange()
				.expectBody(String.class).returnResult().getResponseBody();
		return json.readTree(body);
	}

	private String token(String form) {
		return http().post().uri("/dev-issuer/token").accept(MediaType.TEXT_PLAIN)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue(form).exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody().strip();
	}

	private WebTestClient http() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60))
				.build();
	}
}
