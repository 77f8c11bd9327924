package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/** Look-up by identifier, profile changes and the status lifecycle, with who may do each. */
class MemberLifecycleApiTest extends ApiTest {

	static final String LOOK_UP = "query($p: ID!, $card: String, $ext: String, $email: String) { memberByIdentifier("
			+ "programId: $p, cardNumber: $card, externalId: $ext, email: $email) { id cardNumber externalId version } }";
	static final String STATUS = "mutation($id: ID!, $s: MemberStatus!) { changeMemberStatus(input: {memberId: $id, "
			+ "status: $s, reason: \"fraud check\"}) { member { status version } } }";
	static final String UPDATE = "mutation($id: ID!, $email: String) { updateMemberProfile(input: {memberId: $id, "
			+ "email: $email, marketingOptIn: false}) { member { email consent { marketingOptIn } version } } }";

	@Autowired
	SettingRules rules;

	String program;
	String erinsToken;
	String erin;
	String card;
	String externalId;

	@BeforeEach
	void enrolledWithACrmId() {
		program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		erinsToken = member("erin-" + key());
		externalId = "crm-" + key();
		Map<String, Object> input = new HashMap<>(enrollment(program, key() + "@example.com", key()));
		input.put("externalId", externalId);
		GraphQlTester.Response enrolled = graphQl(erinsToken).document(
				"mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { member { id cardNumber } } }")
				.variable("input", input).execute();
		erin = enrolled.path("enrollMember.member.id").entity(String.class).get();
		card = enrolled.path("enrollMember.member.cardNumber").entity(String.class).get();
	}

	@Test
	void aTillFindsTheMemberByCardOrCrmId() {
		graphQl(pos()).document(LOOK_UP).variable("p", program).variable("card", card).execute()
				.path("memberByIdentifier.id").entity(String.class).isEqualTo(erin);
		graphQl(staffAdmin()).document(LOOK_UP).variable("p", program).variable("ext", externalId).execute()
				.path("memberByIdentifier.cardNumber").entity(String.class).isEqualTo(card);
		graphQl(pos()).document(LOOK_UP).variable("p", program).variable("email", "nobody@example.com").execute()
				.path("memberByIdentifier").valueIsNull();
	}

	@Test
	void lookUpRefusesMembersAndAmbiguousOrMistypedIdentifiers() {
		refused(graphQl(erinsToken).document(LOOK_UP).variable("p", program).variable("card", card), "FORBIDDEN");
		refused(graphQl(token("pos", "scope", "points:write")).document(LOOK_UP).variable("p", program)
				.variable("card", card), "FORBIDDEN");
		refused(graphQl(pos()).document(LOOK_UP).variable("p", program).variable("card", card).variable("ext", externalId),
				"VALIDATION");
		String typo = card.substring(0, 15) + ((card.charAt(15) - '0' + 1) % 10);
		refused(graphQl(pos()).document(LOOK_UP).variable("p", program).variable("card", typo), "VALIDATION");
	}

	@Test
	void aMemberUpdatesThemselvesButNoOneElseAndTheTillCannot() {
		String email = key() + "@example.com";
		graphQl(erinsToken).document(UPDATE).variable("id", erin).variable("email", email).execute()
				.path("updateMemberProfile.member.email").entity(String.class).isEqualTo(email)
				.path("updateMemberProfile.member.consent.marketingOptIn").entity(Boolean.class).isEqualTo(false)
				.path("updateMemberProfile.member.version").entity(Long.class).isEqualTo(2L);
		refused(graphQl(member("mallory")).document(UPDATE).variable("id", erin).variable("email", "m@example.com"),
				"FORBIDDEN");
		refused(graphQl(pos()).document(UPDATE).variable("id", erin).variable("email", "p@example.com"), "FORBIDDEN");
		refused(graphQl(erinsToken).document(UPDATE).variable("id", erin).variable("email", "not-an-email"),
				"VALIDATION");
	}

	@Test
	void aSuspendedMemberCannotEarnUntilReactivatedAndClosedIsFinal() {
		refused(graphQl(token("staff", "roles", "support")).document(STATUS).variable("id", erin).variable("s", "SUSPENDED"),
				"FORBIDDEN");
		graphQl(token("staff", "roles", "operator")).document(STATUS).variable("id", erin).variable("s", "SUSPENDED")
				.execute().path("changeMemberStatus.member.status").entity(String.class).isEqualTo("SUSPENDED");

		String earn = "mutation($id: ID!, $k: String!) { earnPoints(input: {memberId: $id, points: 10, transactionId: "
				+ "\"t-1\", idempotencyKey: $k, source: {channel: ONLINE}}) { entry { delta } } }";
		refused(graphQl(pos()).document(earn).variable("id", erin).variable("k", key()), "CONFLICT");

		graphQl(staffAdmin()).document(STATUS).variable("id", erin).variable("s", "ACTIVE").execute()
				.path("changeMemberStatus.member.status").entity(String.class).isEqualTo("ACTIVE");
		graphQl(pos()).document(earn).variable("id", erin).variable("k", key()).execute()
				.path("earnPoints.entry.delta").entity(Long.class).isEqualTo(10L);

		graphQl(staffAdmin()).document(STATUS).variable("id", erin).variable("s", "CLOSED").execute();
		refused(graphQl(staffAdmin()).document(STATUS).variable("id", erin).variable("s", "ACTIVE"), "CONFLICT");
	}

	private static void refused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty()
				.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
