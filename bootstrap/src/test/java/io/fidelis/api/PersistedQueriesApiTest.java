package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.util.UriComponentsBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Automatic persisted queries (a document sent once, then by its SHA-256) and queries by GET, as
 * a mobile app uses them: over HTTP, with real tokens.
 */
class PersistedQueriesApiTest extends ApiTest {

	static final String PROGRAM_QUERY = "query Program($id: ID!) { program(id: $id) { id name } }";

	@Autowired
	MongoDatabaseFactory mongo;

	final ObjectMapper json = new ObjectMapper();
	String program;

	@BeforeEach
	void aProgram() {
		program = program("acme");
	}

	@Test
	void anUnknownHashIsAskedForItsTextThenTheHashAloneIsEnough() {
		String query = "query ProgramById($id: ID!) { program(id: $id) { id name } } # " + key();
		Map<String, Object> byHash = request(null, Map.of("id", program), hashOf(query));

		JsonNode first = post(staffAdmin(), byHash);
		assertThat(first.path("errors").get(0).path("extensions").path("code").asString())
				.isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		assertThat(first.path("errors").get(0).path("message").asString()).isEqualTo("PersistedQueryNotFound");
		assertThat(first.has("data")).isFalse();

		JsonNode registered = post(staffAdmin(), request(query, Map.of("id", program), hashOf(query)));
		assertThat(registered.path("data").path("program").path("name").asString()).isEqualTo("Acme Rewards");

		JsonNode again = post(staffAdmin(), byHash);
		assertThat(again.path("errors").isMissingNode()).isTrue();
		assertThat(again.path("data").path("program").path("id").asString()).isEqualTo(program);
	}

	@Test
	void aHashThatIsNotTheTextsOrAMalformedAskIsRefusedAndRemembersNothing() {
		String query = "{ program(id: \"acme\") { id } } # " + key();
		String otherHash = hashOf("{ __typename }");

		JsonNode mismatched = post(staffAdmin(), request(query, Map.of(), otherHash));
		assertThat(codes(mismatched)).isEqualTo("VALIDATION");
		assertThat(mismatched.path("errors").get(0).path("message").asString()).contains("not the SHA-256");
		// the text was not bound to the hash it was sent with
		assertThat(codes(post(staffAdmin(), request(null, Map.of(), hashOf(query))))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");

		Map<String, Object> badVersion = Map.of("extensions",
				Map.of("persistedQuery", Map.of("version", 2, "sha256Hash", hashOf(query))));
		assertThat(codes(post(staffAdmin(), badVersion))).isEqualTo("VALIDATION");
		Map<String, Object> notHex = Map.of("extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", "abc")));
		assertThat(codes(post(staffAdmin(), notHex))).isEqualTo("VALIDATION");
		Map<String, Object> notAnObject = Map.of("extensions", Map.of("persistedQuery", "yes"));
		assertThat(codes(post(staffAdmin(), notAnObject))).isEqualTo("VALIDATION");
		assertThat(codes(post(staffAdmin(), Map.of("query", "{ __typename }", "extensions", "x")))).isEqualTo("VALIDATION");
	}

	@Test
	void aQueryRunsByGetWithItsTextOrItsHash() {
		String query = PROGRAM_QUERY + " # " + key();
		String variables = json.writeValueAsString(Map.of("id", program));

		Answer byText = get(staffAdmin(), Map.of("query", query, "variables", variables, "operationName", "Program"));
		assertThat(byText.status()).isEqualTo(200);
		assertThat(byText.body().path("data").path("program").path("name").asString()).isEqualTo("Acme Rewards");

		// Apollo's way for GET: the hash alone, then (not found) text and hash, then the hash alone
		String extensions = json.writeValueAsString(persisted(hashOf(query)));
		Answer unknown = get(staffAdmin(), Map.of("variables", variables, "extensions", extensions));
		assertThat(codes(unknown.body())).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		Answer registered = get(staffAdmin(), Map.of("query", query, "variables", variables, "extensions", extensions));
		assertThat(registered.body().path("data").path("program").path("id").asString()).isEqualTo(program);
		Answer byHash = get(staffAdmin(), Map.of("variables", variables, "extensions", extensions));
		assertThat(byHash.status()).isEqualTo(200);
		assertThat(byHash.body().path("data").path("program").path("id").asString()).isEqualTo(program);
	}

	@Test
	void aMutationOrSubscriptionByGetIsRefusedAndChangesNothing() {
		long programs = count("members_programs");
		String define = "mutation { defineProgram(input: {id: \"by-get\", name: \"By GET\", currencies: [\"EUR\"], "
				+ "regions: [\"FR\"], timeZone: \"UTC\"}) { program { id } } }";

		Answer mutation = get(staffAdmin(), Map.of("query", define));
		assertThat(mutation.status()).isEqualTo(405);
		assertThat(mutation.allow()).isEqualTo("POST");
		assertThat(codes(mutation.body())).isEqualTo("VALIDATION");
		assertThat(mutation.body().path("errors").get(0).path("message").asString()).contains("send a mutation by POST");

		// chosen by name among several operations, and by hash: still refused
		String two = "query Read { __typename } " + define.replace("mutation {", "mutation Write {");
		assertThat(get(staffAdmin(), Map.of("query", two, "operationName", "Write")).status()).isEqualTo(405);
		assertThat(get(staffAdmin(), Map.of("query", two, "operationName", "Read")).status()).isEqualTo(200);
		post(staffAdmin(), request(define, Map.of(), hashOf(define))); // registers it, and defines the program once
		long afterPost = count("members_programs");
		assertThat(get(staffAdmin(), Map.of("extensions", json.writeValueAsString(persisted(hashOf(define))))).status())
				.isEqualTo(405);

		Answer subscription = get(member("carol"), Map.of("query", "subscription { pointsAccount(programId: \"acme\") { available } }"));
		assertThat(subscription.status()).isEqualTo(405);
		assertThat(count("members_programs")).isEqualTo(afterPost).isEqualTo(programs + 1);
	}

	@Test
	void aGetWithoutAQueryOrWithBrokenParametersIsRefused() {
		Answer empty = get(staffAdmin(), Map.of());
		assertThat(empty.status()).isEqualTo(400);
		assertThat(codes(empty.body())).isEqualTo("VALIDATION");
		assertThat(get(staffAdmin(), Map.of("query", "{ __typename }", "variables", "{not json")).status()).isEqualTo(400);
		assertThat(get(staffAdmin(), Map.of("query", "{ __typename }", "variables", "[1]")).status()).isEqualTo(400);
		Answer anonymous = get(null, Map.of("query", "{ __typename }"));
		assertThat(anonymous.status()).isEqualTo(200);
		assertThat(anonymous.body().path("data").path("__typename").asString()).isEqualTo("Query");
		Answer unauthenticated = get(null, Map.of("query", PROGRAM_QUERY, "variables", "{\"id\":\"acme\"}"));
		assertThat(codes(unauthenticated.body())).isEqualTo("UNAUTHENTICATED");
	}

	// --- helpers ---

	private static Map<String, Object> request(String query, Map<String, Object> variables, String hash) {
		Map<String, Object> body = new LinkedHashMap<>();
		if (query != null) {
			body.put("query", query);
		}
		body.put("variables", variables);
		body.put("extensions", persisted(hash));
		return body;
	}

	private static Map<String, Object> persisted(String hash) {
		return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", hash));
	}

	static String hashOf(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String codes(JsonNode answer) {
		return answer.path("errors").get(0).path("extensions").path("code").asString();
	}

	private JsonNode post(String token, Map<String, Object> body) {
		EntityExchangeResult<byte[]> result = http().post().uri("/graphql").header("Authorization", "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON).bodyValue(json.writeValueAsBytes(body)).exchange().expectBody()
				.returnResult();
		return json.readTree(result.getResponseBody());
	}

	private record Answer(int status, JsonNode body, String allow) {
	}

	private Answer get(String token, Map<String, String> parameters) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/graphql");
		parameters.forEach((name, value) -> uri.queryParam(name, "{" + name + "}"));
		var request = http().get().uri(uri.build().toUriString(), parameters).accept(MediaType.APPLICATION_JSON);
		if (token != null) {
			request = request.header("Authorization", "Bearer " + token);
		}
		EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
		return new Answer(result.getStatus().value(), json.readTree(result.getResponseBody()),
				result.getResponseHeaders().getFirst("Allow"));
	}

	private long count(String collection) {
		return mongo.getMongoDatabase().getCollection(collection).countDocuments();
	}
}
