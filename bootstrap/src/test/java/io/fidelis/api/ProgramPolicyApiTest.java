package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/** A program's channels and enrollment policy hold for enrollment and for points. */
class ProgramPolicyApiTest extends ApiTest {

	@Autowired
	SettingRules rules;

	@Test
	void anOnlineProgramClosedToSelfServiceRefusesWhatItDoesNotAllow() {
		String program = "online-" + key().substring(0, 8);
		// a channel is one of the schema's PointsChannel values: a string is refused, and nothing is defined
		refused(graphQl(staffAdmin()).document("""
				mutation($id: ID!) { defineProgram(input: {id: $id, name: "Web only", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "Europe/Paris", channels: ["online"]}) { program { id } } }""").variable("id", program), "VALIDATION");
		graphQl(staffAdmin()).document("query($id: ID!) { program(id: $id) { id } }").variable("id", program).execute()
				.path("program").valueIsNull();
		graphQl(staffAdmin()).document("""
				mutation($id: ID!) { defineProgram(input: {id: $id, name: "Web only", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "Europe/Paris", channels: [ONLINE], enrollment: {selfService: false}}) {
				  program { channels enrollment { selfService integration staff } } } }""").variable("id", program).execute()
				.path("defineProgram.program.channels").entityList(String.class).containsExactly("ONLINE")
				.path("defineProgram.program.enrollment.selfService").entity(Boolean.class).isEqualTo(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());

		refused(graphQl(member("walk-in")).document(ENROLL).variable("input",
				enrollment(program, key() + "@example.com", key())), "FORBIDDEN");
		String id = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();

		String earn = "mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { delta } } }";
		Map<String, Object> inStore = new HashMap<>(Map.of("memberId", id, "points", 10, "transactionId", key(),
				"idempotencyKey", key(), "source", Map.of("channel", "IN_STORE")));
		refused(graphQl(pos()).document(earn).variable("input", inStore), "VALIDATION");
		Map<String, Object> online = new HashMap<>(inStore);
		online.put("idempotencyKey", key());
		online.put("source", Map.of("channel", "ONLINE"));
		graphQl(pos()).document(earn).variable("input", online).execute().path("earnPoints.entry.delta")
				.entity(Long.class).isEqualTo(10L);
	}

	private static void refused(GraphQlTester.Request<?> request, String code) {
		request.execute().errors().satisfy(errors -> assertThat(errors).isNotEmpty()
				.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", code)));
	}
}
