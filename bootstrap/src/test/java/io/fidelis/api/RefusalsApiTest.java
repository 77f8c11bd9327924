package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.fidelis.bootstrap.security.DevelopmentIssuer.TokenRequest;

/**
 * Every refusal path of the slice: callers who may not, tokens that are not valid, input that
 * cannot be accepted. Each answers a stable code and writes nothing.
 */
class RefusalsApiTest extends ApiTest {

	@Autowired
	MongoDatabaseFactory mongo;

	static String program;
	static String carolsId;

	/** Once for the class: carol's own requests count against her member rate limit (10/s, burst 30). */
	@BeforeEach
	void aProgramWithOneMember() {
		if (carolsId != null) {
			return;
		}
		program = program("acme");
		String carol = member("carol");
		graphQl(carol).document(ENROLL).variable("input", enrollment(program, "carol@example.com", "carol-signup-key"))
				.execute();
		carolsId = graphQl(carol).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
	}

	@Test
	void introspectionAskedInBadFaithIsTheClientsToFixNotAnInternalError() {
		// the same type's fields nested again: graphql-java's good-faith check refuses it before it runs
		String nested = "{ __schema { types { fields { type { fields { type { name } } } } } } }";
		assertRefused(graphQl(staffAdmin()).document(nested), "VALIDATION");
		graphQl(staffAdmin()).document("{ __schema { queryType { name } } }").execute()
				.path("__schema.queryType.name").entity(String.class).isEqualTo("Query");
	}

	/** The introspection query of graphql-js (getIntrospectionQuery), as GraphiQL and code generators send it: 15 levels deep. */
	static final String INTROSPECTION = """
			query IntrospectionQuery {
			  __schema {
			    queryType { name } mutationType { name } subscriptionType { name }
			    types { ...FullType }
			    directives { name description locations args { ...InputValue } }
			  }
			}
			fragment FullType on __Type {
			  kind name description
			  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef }
			    isDeprecated deprecationReason }
			  inputFields { ...InputValue }
			  interfaces { ...TypeRef }
			  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
			  possibleTypes { ...TypeRef }
			}
			fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
			fragment TypeRef on __Type {
			  kind name
			  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
			    ofType { kind name ofType { kind name } } } } } } }
			}""";

	@Test
	void theStandardIntrospectionQueryAnswersThoughDeeperThanTheLimitWhileDataQueriesStayLimited() {
		graphQl(staffAdmin()).document(INTROSPECTION).execute().path("__schema.types[*].name").entityList(String.class)
				.satisfies(names -> assertThat(names).contains("Query", "Member", "EarnPointsInput"));
		graphQl(null).document(INTROSPECTION).execute().path("__schema.queryType.name").entity(String.class)
				.isEqualTo("Query");
		// a data field beside the schema's is held to the limits like any query
		String deepWithData = INTROSPECTION.replace("query IntrospectionQuery {\n  __schema {",
				"query IntrospectionQuery {\n  me(programId: \"acme\") { id }\n  __schema {");
		assertThat(deepWithData).contains("me(programId");
		assertRefused(graphQl(staffAdmin()).document(deepWithData), "VALIDATION");
	}

	// --- callers who may not ---

	@Test
	void onlyStaffAdminsDefinePrograms() {
		long programs = count("members_programs");
		String define = """
				mutation { defineProgram(input: {id: "rogue", name: "Rogue", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "UTC"}) { program { id } } }""";
		assertRefused(graphQl(null).document(define), "UNAUTHENTICATED");
		assertRefused(graphQl(member("carol")).document(define), "FORBIDDEN");
		assertRefused(graphQl(pos()).document(define), "FORBIDDEN");
		assertRefused(graphQl(token("staff", "roles", "operator")).document(define), "FORBIDDEN");
		assertThat(count("members_programs")).isEqualTo(programs);
	}

	@Test
	void enrollingNeedsMembersWriteOrAnEnrollingStaffRole() {
		long members = count("members_profiles");
		Supplier<Map<String, Object>> input = () -> enrollment(program, key() + "@example.com", key());
		assertRefused(graphQl(null).document(ENROLL).variable("input", input.get()), "UNAUTHENTICATED");
		assertRefused(graphQl(token("pos", "scope", "points:write points:read")).document(ENROLL)
				.variable("input", input.get()), "FORBIDDEN");
		assertRefused(graphQl(token("staff", "roles", "analyst")).document(ENROLL).variable("input", input.get()),
				"FORBIDDEN");
		assertThat(count("members_profiles")).isEqualTo(members);
	}

	@Test
	void aForbiddenCallerHearsWhoTheOperationIsOpenTo() {
		graphQl(token("staff", "roles", "analyst")).document(ENROLL).variable("input",
				enrollment(program, key() + "@example.com", key())).execute().errors().satisfy(errors -> {
					assertThat(errors).singleElement().satisfies(e -> {
						assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN").containsEntry("allowed",
								List.of("staff with the role admin or operator", "a member", "a client with the scope members:write"));
						assertThat(e.getMessage()).isEqualTo("Forbidden: enrollMember is open to staff with the role admin or "
								+ "operator, or a member, or a client with the scope members:write; this caller is none of them");
					});
				});
		// a refusal the module decides keeps its own words
		graphQl(member("carol")).document("query($id: ID!) { member(id: $id) { id } }").variable("id", "m_someone-else")
				.execute().errors().satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getMessage())
						.doesNotContain("is open to")));
		// without a token it is still UNAUTHENTICATED
		assertRefused(graphQl(null).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())),
				"UNAUTHENTICATED");
	}

	@Test
	void aMemberReadsOnlyThemselves() {
		String mallory = member("mallory");
		String read = "query($id: ID!) { member(id: $id) { id email } }";
		assertRefused(graphQl(mallory).document(read).variable("id", carolsId), "FORBIDDEN");
		assertRefused(graphQl(mallory).document(read).variable("id", "m_nobody"), "FORBIDDEN");
		assertRefused(graphQl(null).document(read).variable("id", carolsId), "UNAUTHENTICATED");
		assertRefused(graphQl(token("pos", "scope", "points:write")).document(read).variable("id", carolsId),
				"FORBIDDEN");
		assertRefused(graphQl(staffAdmin()).document(read).variable("id", "m_nobody"), "NOT_FOUND");
		graphQl(mallory).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program).execute()
				.path("me").valueIsNull();
	}

	/**
	 * Issue 16, finding 3: a till takes back only what it gave; another client's receipt is unknown
	 * to it, even under the same receipt number. (Staff correct balances with adjustPoints.)
	 */
	@Test
	void aClientReversesOnlyItsOwnEarns() {
		String reverse = """
				mutation($id: ID!, $tx: String!, $k: String!) { reverseTransaction(input: {memberId: $id, transactionId: $tx,
				  idempotencyKey: $k}) { entry { delta } } }""";
		String paris = token("pos", "subject", "pos-paris");
		String lyon = token("pos", "subject", "pos-lyon");
		String receipt = "receipt-" + key(); // carol is every test's member: receipts of this test only
		long before = available();
		earn(paris, 20L, receipt);
		earn(lyon, 30L, receipt); // Lyon's till numbers its receipts too: another purchase
		earn(paris, 7L, "paris-" + receipt);

		graphQl(staffAdmin()).document("""
				mutation($id: ID!, $k: String!) { adjustPoints(input: {memberId: $id, points: 5, reason: "goodwill",
				  idempotencyKey: $k}) { entry { transactionId } } }""").variable("id", carolsId).variable("k", key()).execute()
				.path("adjustPoints.entry.transactionId").entity(String.class).isEqualTo("adjustment:staff:staff-admin");

		assertRefused(graphQl(lyon).document(reverse).variable("id", carolsId).variable("tx", "paris-" + receipt)
				.variable("k", key()), "NOT_FOUND");
		// a staff adjustment is no till's purchase
		assertRefused(graphQl(paris).document(reverse).variable("id", carolsId).variable("tx", "adjustment:staff:staff-admin")
				.variable("k", key()), "NOT_FOUND");
		assertThat(available()).isEqualTo(before + 62);
		graphQl(lyon).document(reverse).variable("id", carolsId).variable("tx", receipt).variable("k", key()).execute()
				.path("reverseTransaction.entry.delta").entity(Long.class).isEqualTo(-30L);
		graphQl(paris).document(reverse).variable("id", carolsId).variable("tx", receipt).variable("k", key()).execute()
				.path("reverseTransaction.entry.delta").entity(Long.class).isEqualTo(-20L);
		assertThat(available()).isEqualTo(before + 12);
	}

	private long available() {
		return graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { points { available } } }")
				.variable("id", carolsId).execute().path("member.points.available").entity(Long.class).get();
	}

	private void earn(String till, long points, String receipt) {
		Map<String, Object> input = PointsApiTest.earnInput(carolsId, points, key());
		input.put("transactionId", receipt);
		graphQl(till).document(PointsApiTest.EARN).variable("input", input).execute().path("earnPoints").hasValue();
	}

	/** Issue 16, finding 9: a reason is bounded and printable; a refused one writes nothing. */
	@Test
	void aReasonTooLongOrWithControlCharactersIsRefusedAndChangesNothing() {
		earn(pos(), 100L, "receipt-" + key());
		long before = available();
		String carolsToken = member("carol");
		String redeem = """
				mutation($id: ID!, $k: String!, $reason: String) { redeemPoints(input: {memberId: $id, points: 10,
				  source: {channel: APP}, reason: $reason, idempotencyKey: $k}) { entry { delta } } }""";
		for (String reason : new String[] { "x".repeat(501), "free coffee\n<script>", "nul\u0000", "\u202Eeerf", "half \ud83d" }) {
			assertRefused(graphQl(carolsToken).document(redeem).variable("id", carolsId).variable("k", key())
					.variable("reason", reason), "VALIDATION");
		}
		assertRefused(graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $k: String!) { adjustPoints(input: {memberId: $id, points: 5, reason: "ok\\u0007",
				  idempotencyKey: $k}) { entry { delta } } }""").variable("id", carolsId).variable("k", key()), "VALIDATION");
		assertThat(available()).isEqualTo(before);
		graphQl(carolsToken).document(redeem).variable("id", carolsId).variable("k", key())
				.variable("reason", "free coffee, caf\u00e9 cr\u00e8me \ud83d\ude00 " + "x".repeat(470)).execute()
				.path("redeemPoints.entry.delta").entity(Long.class).isEqualTo(-10L);
	}

	/** Issue 16, finding 4: reading a member does not open their balance and ledger. */
	@Test
	void aClientThatMayReadMembersButNotPointsIsRefusedTheirPoints() {
		String points = "query($id: ID!) { member(id: $id) { id points { available history(first: 5) { edges { node { sequence } } } } } }";
		assertRefused(graphQl(token("pos", "scope", "members:read")).document(points).variable("id", carolsId), "FORBIDDEN");
		graphQl(token("pos", "scope", "members:read")).document("query($id: ID!) { member(id: $id) { id } }")
				.variable("id", carolsId).execute().path("member.id").entity(String.class).isEqualTo(carolsId);
		graphQl(token("pos", "scope", "members:read points:read")).document(points).variable("id", carolsId).execute()
				.path("member.points.available").hasValue();
	}

	@Test
	void meIsForMembersOnly() {
		assertRefused(graphQl(staffAdmin()).document("query { me(programId: \"acme\") { id } }"), "FORBIDDEN");
		assertRefused(graphQl(pos()).document("query { me(programId: \"acme\") { id } }"), "FORBIDDEN");
	}

	// --- tokens that are not valid ---

	@Test
	void aForgedTokenIsRefusedBeforeAnyGraphQl() throws Exception {
		RSAKey forger = new RSAKeyGenerator(2048).keyID("forged")
				.generate();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience("fidelis-api")
				.subject("intruder").claim("roles", List.of("admin")).expirationTime(Date.from(Instant.now().plusSeconds(600)))
				.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(forger.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(forger));
		assertUnauthenticated(jwt.serialize());
	}

	@Test
	void anExpiredTokenIsRefused() {
		TokenRequest expired = TokenRequest.of("staff", "late", "admin", null, Duration.ofMinutes(-5));
		assertUnauthenticated(issuer.token(expired));
	}

	@Test
	void aTokenForAnotherApiIsRefused() {
		assertUnauthenticated(issuer.token(TokenRequest.of("staff", "x", "admin", null, null).forAudience("billing-api")));
	}

	@Test
	void garbageInTheAuthorizationHeaderIsRefused() {
		assertUnauthenticated("not-a-jwt");
	}

	@Test
	void theDevelopmentIssuerRefusesUnknownCallersClearly() {
		http().post().uri("/dev-issuer/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.bodyValue("caller=emperor").exchange().expectStatus().isBadRequest().expectBody()
				.jsonPath("$.error").isEqualTo("invalid_request")
				.jsonPath("$.error_description").isEqualTo("caller must be staff, pos or member");
	}

	// --- input that cannot be accepted ---

	@Test
	void anIdVariableIsAStringOrAnIntegerNeverTheTextOfSomethingElse() {
		String admin = staffAdmin();
		String member = "query($id: ID!) { member(id: $id) { id } }";
		for (Object notAnId : List.of(List.of(1), true, Map.of("id", "m_1"), 1.5)) {
			graphQl(admin).document(member).variable("id", notAnId).execute().errors().satisfy(errors -> assertThat(errors)
					.singleElement().satisfies(e -> {
						assertThat(e.getExtensions()).containsEntry("code", "VALIDATION");
						assertThat(e.getMessage()).as(String.valueOf(notAnId)).contains("An ID is a string or an integer");
					}));
		}
		// inside an input object too; a string and an integer are ids
		assertRefused(graphQl(pos()).document("""
				mutation($m: ID!) { earnPoints(input: {memberId: $m, points: 1, source: {channel: IN_STORE},
				  transactionId: "t-1", idempotencyKey: "strict-id-1"}) { replayed } }""").variable("m", List.of("m_1")), "VALIDATION");
		graphQl(admin).document(member).variable("id", "m_nobody").execute().errors()
				.satisfy(errors -> assertThat(errors).singleElement()
						.satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "NOT_FOUND")));
		graphQl(admin).document("query($id: ID!) { program(id: $id) { id } }").variable("id", 42).execute()
				.path("program").valueIsNull();
	}

	@Test
	void badInputGetsAClearErrorAndWritesNothing() {
		long members = count("members_profiles");
		long claims = count("members_claims");
		String pos = pos();

		// malformed document
		assertRefused(graphQl(pos).document("mutation { enrollMember(input: {"), "VALIDATION");
		// a required field missing
		assertRefused(graphQl(pos).document("""
				mutation { enrollMember(input: {programId: "acme", name: "X", termsVersion: "v1",
				  idempotencyKey: "k-123456789"}) { member { id } } }"""), "VALIDATION");
		// a wrong type
		assertRefused(graphQl(pos).document("""
				mutation { enrollMember(input: {programId: "acme", email: "x@example.com", name: "X",
				  marketingOptIn: "yes", termsVersion: "v1", idempotencyKey: "k-123456789"}) { member { id } } }"""),
				"VALIDATION");
		// a field that does not exist
		assertRefused(graphQl(pos).document("query { program(id: \"acme\") { colour } }"), "VALIDATION");
		// an unknown program
		assertRefused(graphQl(pos).document(ENROLL).variable("input", enrollment("nope", "x@example.com", key())),
				"NOT_FOUND");
		// values the domain refuses
		Map<String, Object> badEmail = new HashMap<>(enrollment(program, "not-an-email", key()));
		assertRefused(graphQl(pos).document(ENROLL).variable("input", badEmail), "VALIDATION");
		Map<String, Object> badPhone = new HashMap<>(enrollment(program, "x@example.com", key()));
		badPhone.put("phone", "call me");
		assertRefused(graphQl(pos).document(ENROLL).variable("input", badPhone), "VALIDATION");
		Map<String, Object> shortKey = new HashMap<>(enrollment(program, "x@example.com", "k"));
		assertRefused(graphQl(pos).document(ENROLL).variable("input", shortKey), "VALIDATION");
		assertRefused(graphQl(pos).document("query { program(id: \"Not A Slug!\") { id } }"), "VALIDATION");

		assertThat(count("members_profiles")).isEqualTo(members);
		assertThat(count("members_claims")).isEqualTo(claims);
	}

	@Test
	void theSamePersonTwiceIsAConflictAndAReusedKeyIsSaidSo() {
		assertRefused(graphQl(pos()).document(ENROLL).variable("input", enrollment(program, "carol@example.com", key())),
				"CONFLICT");
		Map<String, Object> other = enrollment(program, "someone.else@example.com", "carol-signup-key");
		assertRefused(graphQl(member("carol")).document(ENROLL).variable("input", other), "IDEMPOTENCY_KEY_REUSED");
	}

	@Test
	void aQueryDeeperThanTheLimitIsRefused() {
		// a query that reads data is held to the limit, whatever else it asks (the schema alone is not)
		String deep = "{ me(programId: \"acme\") { id } __schema { types { fields { type { ofType { ofType { ofType { ofType "
				+ "{ ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";
		assertRefused(graphQl(staffAdmin()).document(deep), "VALIDATION");
	}

	private static void assertRefused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> {
			assertThat(errors).isNotEmpty();
			assertThat(errors).allSatisfy(e -> {
				assertThat(e.getExtensions()).containsEntry("code", code);
				assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
			});
		});
	}

	private void assertUnauthenticated(String token) {
		http().post().uri("/graphql").header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", "{ program(id: \"acme\") { id } }")).exchange()
				.expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED)
				.expectHeader().value("WWW-Authenticate", h -> assertThat(h).startsWith("Bearer"))
				.expectBody().jsonPath("$.errors[0].extensions.code").isEqualTo("UNAUTHENTICATED");
	}

	private long count(String collection) {
		return mongo.getMongoDatabase().getCollection(collection).countDocuments(new Document());
	}
}
