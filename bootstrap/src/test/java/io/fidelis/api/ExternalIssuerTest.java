package io.fidelis.api;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * Production mode: tokens from a real, separate OIDC issuer (mock-oauth2-server on loopback),
 * found through its discovery document. Fidelis mints nothing itself then.
 */
class ExternalIssuerTest {

	static final MockOAuth2Server ISSUER = new MockOAuth2Server();

	static {
		try {
			ISSUER.start(InetAddress.getByName("127.0.0.1"), 0);
			// its first discovery answer is slow; warm it so Spring's look-up does not time out
			HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
					ISSUER.issuerUrl("corp") + "/.well-known/openid-configuration")).build(),
					HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException | InterruptedException e) {
			throw new IllegalStateException(e);
		}
	}

	@AfterAll
	static void stop() {
		ISSUER.shutdown();
	}

	static String token(String issuerId, String subject, List<String> audience, Map<String, Object> claims) {
		return ISSUER.issueToken(issuerId, "fidelis-tests",
				new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience, claims, 3600)).serialize();
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
			"fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0" })
	class WithACorporateIssuer {

		@LocalServerPort
		int port;

		@DynamicPropertySource
		static void issuer(DynamicPropertyRegistry registry) {
			registry.add("fidelis.security.issuer-uri", () -> ISSUER.issuerUrl("corp").toString());
		}

		WebTestClient.ResponseSpec define(String token) {
			return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post().uri("/graphql")
					.header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Map.of("query", "mutation { defineProgram(input: {id: \"corp\", name: \"Corp\", "
							+ "currencies: [\"EUR\"], regions: [\"DE\"], timeZone: \"Europe/Berlin\"}) { program { id } } }"))
					.exchange();
		}

		@Test
		void itsStaffTokensWork() {
			define(token("corp", "ops-lead", List.of("fidelis-api"), Map.of("roles", List.of("admin")))).expectStatus()
					.isOk().expectBody().jsonPath("$.data.defineProgram.program.id").isEqualTo("corp");
		}

		@Test
		void anotherIssuersTokensAreRefused() {
			define(token("elsewhere", "ops-lead", List.of("fidelis-api"), Map.of("roles", List.of("admin"))))
					.expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
		}

		@Test
		void tokensForAnotherAudienceAreRefused() {
			define(token("corp", "ops-lead", List.of("payroll"), Map.of("roles", List.of("admin")))).expectStatus()
					.isEqualTo(HttpStatus.UNAUTHORIZED);
		}

		@Test
		void theDevelopmentIssuerIsGone() {
			WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post().uri("/dev-issuer/token")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue("caller=staff").exchange()
					.expectStatus().isNotFound();
		}
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
			"fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
			"fidelis.security.issuer-uri=http://127.0.0.1:9/unreachable" })
	class WhenTheIssuerIsDown {

		@LocalServerPort
		int port;

		@Test
		void callersOfThatIssuerHearUnavailableAndMayRetry() throws Exception {
			ask(selfSigned("http://127.0.0.1:9/unreachable")).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectHeader().exists("Retry-After")
					.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("UNAVAILABLE");
		}

		@Test
		void tokensOfAnotherIssuerOrNoneAreRefusedAllTheSame() throws Exception {
			ask(token("corp", "x", List.of("fidelis-api"), Map.of())).expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
			ask(selfSigned(null)).expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
			ask("not-a-jwt").expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
		}

		WebTestClient.ResponseSpec ask(String token) {
			return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post().uri("/graphql")
					.header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
					.bodyValue(Map.of("query", "{ program(id: \"x\") { id } }")).exchange();
		}

		/** A token claiming {@code issuer}, signed by a key nobody knows (it cannot be checked anyway). */
		static String selfSigned(String issuer) throws Exception {
			com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate();
			com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
					new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256),
					new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(issuer).subject("x").audience("fidelis-api")
							.expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000)).build());
			jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
			return jwt.serialize();
		}
	}
}
