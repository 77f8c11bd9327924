package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * What a front-end team does first: {@code graphql-inspector introspect} (npm) against a live
 * Fidelis, with a staff token, writes the schema as SDL, descriptions and all; code generators
 * and IDEs read the same introspection (graphql-js' standard query, under the depth and complexity
 * limits).
 */
class IntrospectionApiTest extends ApiTest {

	static final Path INSPECTOR = Path.of(System.getProperty("user.dir")).resolve("src/test/node/graphql-inspector");

	@Test
	void graphqlInspectorWritesTheSchemaOfALiveFidelis() throws Exception {
		String schema = io.fidelis.Installed.nodeProject(INSPECTOR, "introspect.mjs", "http://localhost:" + port,
				"graphql-inspector");
		assertThat(schema).contains("interface Node").contains("type Member implements Node")
				.contains("node(").contains("earnPoints(").contains("type Subscription")
				.as("descriptions come along").contains("Spendable now");
	}
}
