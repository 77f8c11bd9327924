package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Node example client in {@code examples/node-client}, run against this live Fidelis, so the
 * examples front-end developers copy (and the GraphQL documents in {@code examples/graphql} they
 * load) never rot: tokens, queries, mutations, and the balance over graphql-ws.
 */
class NodeExampleClientTest extends ApiTest {

	static final Path CLIENT = Path.of(System.getProperty("user.dir")).resolveSibling("examples").resolve("node-client");

	@Test
	void the_example_client_plays_a_customer_s_day() throws Exception {
		Assumptions.assumeTrue(io.fidelis.Installed.onPath("node") && io.fidelis.Installed.onPath("npm"), "node and npm are not installed here; the example client needs them");
		String npm = io.fidelis.Installed.npmCi(CLIENT);
		assertThat(npm).as("npm ci").isNull();
		String out = io.fidelis.Installed.node(CLIENT, "client.mjs", "http://localhost:" + port);

		JsonNode result = JsonMapper.builder().build().readTree(out.strip());
		assertThat(result.get("foundAtTill").asBoolean()).isTrue();
		assertThat(result.get("pointsEarned").asLong()).isEqualTo(74); // 30 l × 2 + 14 € × 1
		assertThat(result.get("liveBalances").get(result.get("liveBalances").size() - 1).asLong()).isEqualTo(74);
		assertThat(result.get("pointsReversed").asLong()).isEqualTo(7);
		assertThat(result.get("available").asLong()).isEqualTo(67);
		assertThat(result.get("cards").asInt()).isEqualTo(1);
	}

}
