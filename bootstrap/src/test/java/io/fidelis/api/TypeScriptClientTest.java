package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The typed client in {@code examples/typescript-client}: its documents are typed by GraphQL Code
 * Generator from the schema files and checked by {@code tsc} (a field the schema lacks fails the
 * build), then it runs against this live Fidelis with Apollo Client: the balance the
 * subscription pushes after an earn at the till shows on the home screen's {@code Member.points}
 * through the normalized cache, with nothing fetched again.
 */
class TypeScriptClientTest extends ApiTest {

	static final Path CLIENT = Path.of(System.getProperty("user.dir")).resolveSibling("examples").resolve("typescript-client");

	@Test
	void the_typed_client_builds_from_the_schema_and_its_cache_shows_the_live_balance() throws Exception {
		Assumptions.assumeTrue(io.fidelis.Installed.onPath("node") && io.fidelis.Installed.onPath("npm"),
				"node and npm are not installed here; the typed client needs them");
		assertThat(io.fidelis.Installed.npmCi(CLIENT)).as("npm ci").isNull();
		assertThat(io.fidelis.Installed.npmRun(CLIENT, "build")).as("codegen and tsc").isNull();
		String out = io.fidelis.Installed.node(CLIENT, "dist/client.js", "http://localhost:" + port);

		JsonNode result = JsonMapper.builder().build().readTree(out.strip());
		assertThat(result.get("earned").asLong()).isEqualTo(25);
		assertThat(result.get("pushed").toString()).isEqualTo("[0,25]");
		assertThat(result.get("shown").toString()).as("the home screen, from the cache").isEqualTo("[0,25]");
		assertThat(result.get("cached").asLong()).isEqualTo(25);
	}
}
