package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The GraphQL over HTTP specification's checks, as the npm package graphql-http audits a server
 * ({@code serverAudits}: media types, status codes, GET and POST, parameters of every wrong
 * kind), run against this live Fidelis. Every audit must pass: none may warn or fail.
 */
class GraphQlOverHttpAuditTest extends ApiTest {

	static final Path AUDIT = Path.of(System.getProperty("user.dir")).resolve("src/test/node/graphql-http-audit");

	@Test
	void everyGraphQlOverHttpAuditPasses() throws Exception {
		String out = io.fidelis.Installed.nodeProject(AUDIT, "audit.mjs", "http://localhost:" + port, "the graphql-http audit");

		JsonNode results = JsonMapper.builder().build().readTree(out.strip());
		List<String> notOk = new ArrayList<>();
		results.forEach(r -> {
			if (!"ok".equals(r.path("status").asString())) {
				notOk.add(r.path("status").asString() + " " + r.path("id").asString() + " " + r.path("name").asString()
						+ ": " + r.path("reason").asString());
			}
		});
		System.out.printf("graphql-http audit: %d audits, %d not ok%n", results.size(), notOk.size());
		assertThat(results.size()).as("the audits that ran").isGreaterThanOrEqualTo(50);
		assertThat(notOk).as("audits that warned or failed").isEmpty();
	}
}
