package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * graphql-schema-linter (npm) over every module's schema files, with the rules configured in
 * src/test/node/schema-lint/package.json: descriptions everywhere and capitalized, names in the
 * usual case, deprecations with a reason, no unused types, Relay connections with the shared
 * {@code PageInfo}. A problem fails the test with the linter's report.
 */
class SchemaLintTest {

	static final Path LINT = Path.of(System.getProperty("user.dir")).resolve("src/test/node/schema-lint");

	@Test
	void theSchemaPassesTheLinter() throws Exception {
		String report = io.fidelis.Installed.nodeProject(LINT, "lint.mjs", "", "the schema linter");
		System.out.print(report);
		assertThat(report).as("the files linted").startsWith("7 schema files");
	}
}
