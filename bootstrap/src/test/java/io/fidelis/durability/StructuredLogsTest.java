package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A node with JSON logs (one property, as the README says) writes lines that parse, one access
 * line per GraphQL operation with its caller kind, client and outcome, and no line holds the
 * workload's email, name, phone number or token.
 */
class StructuredLogsTest {

	@TempDir
	Path dir;

	@Test
	void jsonLogLinesParseCarryAnAccessLinePerOperationAndNoPersonalData() throws Exception {
		Path log = dir.resolve("node.log");
		String name = "Quentin Logsworth";
		String email = "quentin." + UUID.randomUUID() + "@example.com";
		String phone = "+33 6" + String.format("%08d", new java.util.Random().nextInt(100_000_000));
		String phoneDigits = phone.replace(" ", "").substring(3);
		List<String> tokens = new ArrayList<>();
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), log, "--logging.structured.format.console=ecs",
				FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String staff = node.token("caller=staff&roles=admin");
			String pos = node.token("caller=pos");
			tokens.addAll(List.of(staff, pos));
			node.graphQl(staff, """
					mutation { defineProgram(input: {id: "logs", name: "Logs", currencies: ["EUR"], regions: ["FR"],
					  timeZone: "Europe/Paris"}) { program { id } } }""");
			String member = FidelisNode.firstId(node.graphQl(pos, "mutation($i: EnrollMemberInput!) { enrollMember(input: $i) "
					+ "{ member { id } } }", Map.of("i", Map.of("programId", "logs", "email", email, "name", name, "phone", phone,
							"termsVersion", "v1", "idempotencyKey", UUID.randomUUID().toString()))).toString());
			node.graphQl(pos, "mutation($i: EarnPointsInput!) { earnPoints(input: $i) { entry { delta } } }",
					Map.of("i", Map.of("memberId", member, "points", 10, "transactionId", "t-1", "idempotencyKey",
							UUID.randomUUID().toString(), "source", Map.of("channel", "IN_STORE"))));
			node.graphQl(staff, "query($e: String!) { memberByIdentifier(programId: \"logs\", email: $e) { name phone } }",
					Map.of("e", email));
			node.graphQl(pos, "{ member(id: \"m_nobody\") { id } }"); // refused or absent: an outcome too

			ObjectMapper json = new ObjectMapper();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				List<JsonNode> access = new ArrayList<>();
				List<JsonNode> audit = new ArrayList<>();
				for (String line : Files.readAllLines(log)) {
					if (!line.startsWith("{")) {
						continue; // the JVM's own lines before logging starts
					}
					JsonNode entry = json.readTree(line);
					assertThat(entry.has("@timestamp") && entry.has("message")).as(line).isTrue();
					String logger = entry.path("log.logger").asString(entry.path("log").path("logger").asString(""));
					if ("io.fidelis.access".equals(logger)) {
						access.add(entry);
					}
					if ("io.fidelis.audit".equals(logger)) {
						audit.add(entry);
					}
				}
				assertThat(access).as("an access line per operation").hasSizeGreaterThanOrEqualTo(5);
				assertThat(access).anySatisfy(a -> assertThat(a.toString()).contains("earnPoints").contains("CLIENT")
						.contains("pos-demo").contains("OK"));
				assertThat(access).anySatisfy(a -> assertThat(a.toString()).contains("memberByIdentifier").contains("STAFF"));
				assertThat(audit).as("the audit trail in the logs too")
						.anySatisfy(a -> assertThat(a.toString()).contains("defineProgram").contains("STAFF").contains("OK"))
						.anySatisfy(a -> assertThat(a.toString()).contains("earnPoints").contains(member));
			});
		}
		String everything = Files.readString(log);
		assertThat(everything).as("the node logged JSON").contains("\"@timestamp\"");
		for (String secret : List.of(email, name, phoneDigits, tokens.get(0), tokens.get(1))) {
			assertThat(everything).as("the logs hold no personal data or token").doesNotContain(secret);
		}
	}
}
