package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The vertical slice end to end: define a program, enroll from each channel, read back. */
class EnrollmentApiTest extends ApiTest {

	@Test
	void aTillEnrollsACustomerWhoThenReadsTheirOwnProfileWithPointsOpened() {
		String program = program("acme");
		String key = key();

		String id = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, "Till.Alice@Example.com", key))
				.execute()
				.path("enrollMember.replayed").entity(Boolean.class).isEqualTo(false)
				.path("enrollMember.member.email").entity(String.class).isEqualTo("till.alice@example.com")
				.path("enrollMember.member.phone").entity(String.class).satisfies(p -> assertThat(p).matches("\\+336[0-9]{8}"))
				.path("enrollMember.member.status").entity(String.class).isEqualTo("ACTIVE")
				.path("enrollMember.member.channel").entity(String.class).isEqualTo("INTEGRATION")
				.path("enrollMember.member.consent.termsVersion").entity(String.class).isEqualTo("2026-01")
				.path("enrollMember.member.program.name").entity(String.class).isEqualTo("Acme Rewards")
				.path("enrollMember.member.id").entity(String.class).get();

		// the points module opened the account, told by a MemberEnrolled event
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(staffAdmin())
				.document("query($id: ID!) { member(id: $id) { id points { available pending openedAt } } }").variable("id", id)
				.execute().path("member.points.available").entity(Long.class).isEqualTo(0L));

		graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { enrolledAt } }").variable("id", id)
				.execute().path("member.enrolledAt").entity(String.class)
				.satisfies(at -> assertThat(Instant.parse(at)).isBefore(Instant.now().plusSeconds(1)));
	}

	@Test
	void aMemberSignsUpThemselvesAndFindsThemselvesWithMe() {
		String program = program("acme");
		String carol = member("carol-" + key());

		String id = graphQl(carol).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.channel").entity(String.class).isEqualTo("SELF_SERVICE")
				.path("enrollMember.member.id").entity(String.class).get();

		graphQl(carol).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program).execute()
				.path("me.id").entity(String.class).isEqualTo(id);
		graphQl(carol).document("query($id: ID!) { member(id: $id) { id } }").variable("id", id).execute()
				.path("member.id").entity(String.class).isEqualTo(id);
	}

	@Test
	void aRetryWithTheSameKeyAnswersTheFirstResult() {
		String program = program("acme");
		Map<String, Object> input = enrollment(program, key() + "@example.com", key());

		String first = graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.replayed").entity(Boolean.class).isEqualTo(true)
				.path("enrollMember.member.id").entity(String.class).isEqualTo(first);
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.data.mongodb.MongoDatabaseFactory store;

	/**
	 * An enrollment's idempotency key is kept for the retention (7 days) by a TTL index, the
	 * person's claims for good: once the store has removed an aged key, the same request is no
	 * longer a retry but meets the email's claim ("already enrolled"), and nobody is enrolled twice.
	 */
	@Test
	void anEnrollmentKeyIsKeptForTheRetentionAndThePersonsClaimsForGood() {
		var claims = store.getMongoDatabase().getCollection("members_claims");
		assertThat(claims.listIndexes().into(new java.util.ArrayList<>())).anySatisfy(index -> {
			assertThat(index.getString("name")).isEqualTo("request_retention");
			assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isEqualTo(7 * 24 * 3600L);
		});
		String program = program("acme");
		String key = key();
		String email = key + "@example.com";
		Map<String, Object> input = enrollment(program, email, key);
		String first = graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.member.id").entity(String.class).get();

		var keyClaim = com.mongodb.client.model.Filters.regex("_id", "^request\\|.*\\|" + java.util.regex.Pattern.quote(key) + "$");
		var emailClaim = com.mongodb.client.model.Filters.eq("_id", "email|" + program + "|" + email);
		assertThat(claims.find(keyClaim).first().getDate("requestAt")).isCloseTo(new java.util.Date(), 60_000);
		org.bson.Document personClaim = claims.find(emailClaim).first();
		assertThat(personClaim.getString("owner")).isEqualTo(first);
		assertThat(personClaim.containsKey("requestAt")).as("a person's claim has no age").isFalse();
		claims.updateOne(keyClaim, com.mongodb.client.model.Updates.set("requestAt",
				java.util.Date.from(Instant.now().minus(Duration.ofDays(7)).minusSeconds(120))));
		await().atMost(Duration.ofSeconds(20)).until(() -> claims.find(keyClaim).first() == null);

		graphQl(pos()).document(ENROLL).variable("input", input).execute().errors()
				.expect(e -> "CONFLICT".equals(e.getExtensions().get("code"))
						&& e.getMessage().contains("already enrolled")).verify();
		assertThat(claims.find(emailClaim).first().getString("owner")).isEqualTo(first);
		assertThat(claims.find(keyClaim).first()).as("the refused request's key was released").isNull();
	}

	@Test
	void staffOperatorsEnrollToo() {
		String program = program("acme");
		graphQl(token("staff", "roles", "operator")).document(ENROLL)
				.variable("input", enrollment(program, key() + "@example.com", key())).execute()
				.path("enrollMember.member.channel").entity(String.class).isEqualTo("STAFF");
	}

	@Test
	void definingTheSameProgramTwiceIsARetryButADifferentOneIsAConflict() {
		program("acme");
		program("acme");
		graphQl(staffAdmin()).document("""
				mutation { defineProgram(input: {id: "acme", name: "Other", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "UTC"}) { program { id } } }""").execute().errors()
				.expect(e -> "CONFLICT".equals(e.getExtensions().get("code"))).verify();
	}
}
