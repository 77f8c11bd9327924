package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/** Export, erase and deactivate: each its own operation, each with its callers. */
class PrivacyApiTest extends ApiTest {

	static final String EXPORT = "query($id: ID!) { exportMemberData(memberId: $id) }";
	static final String ERASE = "mutation($id: ID!) { eraseMember(input: {memberId: $id}) { member { name email phone status } } }";

	@Autowired
	SettingRules rules;

	String program;
	String email;
	String franksToken;
	String frank;

	@BeforeEach
	void aMemberWithPoints() {
		program = program("acme");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		franksToken = member("frank-" + key());
		email = key() + "@example.com";
		graphQl(franksToken).document(ENROLL).variable("input", enrollment(program, email, key())).execute();
		frank = graphQl(franksToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
		graphQl(token("staff", "roles", "support")).document("""
				mutation($id: ID!, $k: String!) { adjustPoints(input: {memberId: $id, points: 40,
				  reason: "Frank Smith called about his lost receipt", idempotencyKey: $k}) { entry { delta } } }""")
				.variable("id", frank).variable("k", key()).execute();
	}

	@Test
	void aMemberExportsEverythingFidelisHoldsOnThem() {
		Map<String, Object> export = graphQl(franksToken).document(EXPORT).variable("id", frank).execute()
				.path("exportMemberData").entity(JSON_OBJECT).get();

		assertThat(export).containsKeys("members", "points");
		assertThat(section(export, "members")).containsEntry("email", email).containsKey("cardNumber");
		assertThat(section(export, "points")).containsEntry("available", 40);
		assertThat(export.get("points").toString()).contains("lost receipt");
	}

	@Test
	void erasureAnonymisesEveryModuleButKeepsTheAmounts() {
		String cardNumber = (String) section(graphQl(franksToken).document(EXPORT).variable("id", frank).execute()
				.path("exportMemberData").entity(JSON_OBJECT).get(), "members").get("cardNumber");
		graphQl(franksToken).document(ERASE).variable("id", frank).execute()
				.path("eraseMember.member.name").entity(String.class).isEqualTo("Erased member")
				.path("eraseMember.member.status").entity(String.class).isEqualTo("CLOSED")
				.path("eraseMember.member.phone").valueIsNull();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<String, Object> export = graphQl(staffAdmin()).document(EXPORT).variable("id", frank).execute()
					.path("exportMemberData").entity(JSON_OBJECT).get();
			assertThat(export.toString()).doesNotContain(email).doesNotContain("lost receipt").doesNotContain(cardNumber);
			assertThat(section(export, "points")).containsEntry("available", 40);
		});
		// the email is free again: the same person may join anew
		graphQl(pos()).document(ENROLL).variable("input", enrollment(program, email, key())).execute()
				.path("enrollMember.member.id").entity(String.class).satisfies(id -> assertThat(id).isNotEqualTo(frank));
		// erasing again changes nothing
		graphQl(staffAdmin()).document(ERASE).variable("id", frank).execute()
				.path("eraseMember.member.name").entity(String.class).isEqualTo("Erased member");
	}

	@Test
	void onlyTheMemberOrTheRightStaffMayExportEraseOrDeactivate() {
		String mallory = member("mallory");
		refused(graphQl(mallory).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(pos()).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(token("staff", "roles", "analyst")).document(EXPORT).variable("id", frank), "FORBIDDEN");
		refused(graphQl(mallory).document(ERASE).variable("id", frank), "FORBIDDEN");
		refused(graphQl(token("staff", "roles", "support")).document(ERASE).variable("id", frank), "FORBIDDEN");
		refused(graphQl(pos()).document(ERASE).variable("id", frank), "FORBIDDEN");
		String deactivate = "mutation($id: ID!) { deactivateMember(input: {memberId: $id, reason: \"moved abroad\"}) "
				+ "{ member { status name } } }";
		refused(graphQl(franksToken).document(deactivate).variable("id", frank), "FORBIDDEN");

		graphQl(token("staff", "roles", "operator")).document(deactivate).variable("id", frank).execute()
				.path("deactivateMember.member.status").entity(String.class).isEqualTo("CLOSED")
				.path("deactivateMember.member.name").entity(String.class).isEqualTo("Alice Martin");
	}

	static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
			new org.springframework.core.ParameterizedTypeReference<>() {
			};

	@SuppressWarnings("unchecked")
	private static Map<String, Object> section(Map<String, Object> export, String name) {
		return (Map<String, Object>) export.get(name);
	}

	private static void refused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty()
				.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
