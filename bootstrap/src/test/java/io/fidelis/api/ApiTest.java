package io.fidelis.api;

import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import io.fidelis.bootstrap.security.DevelopmentIssuer;

/**
 * Fidelis on a random port over its embedded server (in memory), called over HTTP with real
 * tokens from the development issuer, validated through discovery and JWKS like any issuer's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
		"fidelis.mongodb.embedded.expire-every=1s" })
abstract class ApiTest {

	@LocalServerPort
	int port;

	@Autowired
	DevelopmentIssuer issuer;

	WebTestClient http() {
		// a Prometheus scrape of a context that served every test grows past the default 256 KB
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
				.codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
	}

	HttpGraphQlTester graphQl(String token) {
		// the standard introspection query's answer, every description with it, grows past the default 256 KB
		WebTestClient.Builder client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port + "/graphql")
				.codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20));
		if (token != null) {
			client.defaultHeader("Authorization", "Bearer " + token);
		}
		return HttpGraphQlTester.create(client.build());
	}

	/** A token as the README obtains it: a form post to the issuer's token endpoint. */
	String token(String... form) {
		var body = BodyInserters.fromFormData("caller", form[0]);
		for (int i = 1; i + 1 < form.length; i += 2) {
			body = body.with(form[i], form[i + 1]);
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> answer = http().post().uri("/dev-issuer/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(body).exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
		return (String) answer.get("access_token");
	}

	String staffAdmin() {
		return token("staff", "roles", "admin");
	}

	String pos() {
		return token("pos");
	}

	String member(String subject) {
		return token("member", "subject", subject);
	}

	/** The value of the first series of {@code metric} whose labels hold every one of {@code labels}; 0 when none. */
	double scraped(String metric, String... labels) {
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		return scrape.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
				.filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
				.mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
	}

	static String key() {
		return UUID.randomUUID().toString();
	}

	/** Defines a program (idempotently: the same definition again is accepted) and returns its id. */
	String program(String id) {
		graphQl(staffAdmin()).document("""
				mutation($id: ID!) { defineProgram(input: {id: $id, name: "Acme Rewards", currencies: ["EUR", "USD"],
				  regions: ["FR", "US"], timeZone: "Europe/Paris"}) { program { id } } }""").variable("id", id)
				.execute().path("defineProgram.program.id").entity(String.class).isEqualTo(id);
		return id;
	}

	static final String ENROLL = """
			mutation($input: EnrollMemberInput!) {
			  enrollMember(input: $input) { replayed member { id email name phone status channel enrolledAt
			    consent { marketingOptIn termsVersion recordedAt } program { id name } } }
			}""";

	static Map<String, Object> enrollment(String program, String email, String key) {
		String phone = "+33 6" + String.format("%08d", java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000));
		return Map.of("programId", program, "email", email, "name", "Alice Martin", "phone", phone,
				"marketingOptIn", true, "termsVersion", "2026-01", "idempotencyKey", key);
	}

	/** The request is refused with {@code code} on every error, and answers no data. */
	static void refusedWith(org.springframework.graphql.test.tester.GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> org.assertj.core.api.Assertions.assertThat(errors).isNotEmpty()
				.allSatisfy(e -> org.assertj.core.api.Assertions.assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
