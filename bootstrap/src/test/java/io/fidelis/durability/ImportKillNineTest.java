package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * kill -9 a node in the middle of a member import: after the restart the import goes on by itself
 * from its last finished batch and completes, every row enrolled once, instead of showing RUNNING
 * for ever.
 */
class ImportKillNineTest {

	static final int ROWS = 8_000;
	static final String PROGRESS = "query($id: ID!) { memberImport(importId: $id) { status total processed enrolled "
			+ "existing failed } }";

	@TempDir
	Path dir;

	@Test
	void anImportCutShortByKillNineGoesOnAfterTheRestartAndCompletes() throws Exception {
		Path data = dir.resolve("data");
		StringBuilder file = new StringBuilder("email,name\n");
		for (int i = 0; i < ROWS; i++) {
			file.append("p").append(i).append("@example.com,Person ").append(i).append('\n');
		}
		try (FidelisNode node = new FidelisNode(data, dir.resolve("first.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String staff = node.token("caller=staff&roles=admin");
			assertThat(node.graphQl(staff, """
					mutation { defineProgram(input: {id: "acme", name: "Acme", currencies: ["EUR"], regions: ["FR"],
					  timeZone: "Europe/Paris"}) { program { id } } }""")).contains("\"acme\"");
			JsonNode started = node.graphQl(staff, "mutation($i: ImportMembersInput!) { importMembers(input: $i) { memberImport { id status } } }",
					Map.of("i", Map.of("importId", "legacy-1", "programId", "acme", "format", "CSV", "content", file.toString())));
			assertThat(started.path("data").path("importMembers").path("memberImport").path("status").asString()).as(started.toString())
					.isEqualTo("RUNNING");
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
					.until(() -> progress(node, staff).path("processed").asLong() >= 1_000);
			node.kill();
		}

		try (FidelisNode node = new FidelisNode(data, dir.resolve("second.log"), FidelisNode.NO_RATE_LIMITS,
				"--fidelis.members.import-resume-initial-delay=PT1S", "--fidelis.members.import-resume-interval=PT2S")) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String staff = node.token("caller=staff&roles=admin");
			JsonNode cut = progress(node, staff);
			long processedAtKill = cut.path("processed").asLong();
			assertThat(cut.path("status").asString()).isEqualTo("RUNNING");
			assertThat(processedAtKill).isBetween(1_000L, ROWS - 1L);

			// the lease of the killed node runs out (30 s), then this node goes on from the last finished batch
			await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
					.until(() -> !"RUNNING".equals(progress(node, staff).path("status").asString()));
			JsonNode done = progress(node, staff);
			System.out.printf("import killed after %d of %d rows; after the restart: %s%n", processedAtKill, ROWS, done);
			assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
			assertThat(done.path("processed").asLong()).isEqualTo(ROWS);
			assertThat(done.path("failed").asLong()).isZero();
			assertThat(done.path("enrolled").asLong() + done.path("existing").asLong()).isEqualTo(ROWS);
			assertThat(done.path("existing").asLong()).as("only rows of the batch cut short are found enrolled")
					.isLessThanOrEqualTo(500);
			for (int i : new int[] { 0, ROWS / 2, ROWS - 1 }) {
				assertThat(node.graphQl(staff, "{ searchMembers(programId: \"acme\", email: \"p" + i
						+ "@example.com\") { edges { node { name } } } }")).contains("\"Person " + i + "\"");
			}
		}
		finally {
			if (Files.exists(dir.resolve("second.log"))) {
				Files.readAllLines(dir.resolve("second.log")).stream()
						.filter(l -> l.contains("ERROR") || l.contains("Import") || l.contains("Caused by"))
						.limit(40).forEach(System.out::println);
			}
		}
	}

	private static JsonNode progress(FidelisNode node, String staff) throws Exception {
		return node.graphQl(staff, PROGRESS, Map.of("id", "legacy-1")).path("data").path("memberImport");
	}
}
