package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
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
		Assumptions.assumeTrue(io.fidelis.Installed.onPath("node") && io.fidelis.Installed.onPath("npm"),
				"node and npm are not installed here; graphql-inspector needs them");
		assertThat(io.fidelis.Installed.npmCi(INSPECTOR)).as("npm ci").isNull();
		String schema = io.fidelis.Installed.node(INSPECTOR, "introspect.mjs", "http://localhost:" + port);
		assertThat(schema).contains("interface Node").contains("type Member implements Node")
				.contains("node(").contains("earnPoints(").contains("type Subscription")
				.as("descriptions come along").contains("Spendable now");
	}
}
