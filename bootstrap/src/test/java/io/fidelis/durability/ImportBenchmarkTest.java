package io.fidelis.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Imports a generated CSV of {@code benchmark.importRows} members (default 3,000) into a node on
 * the embedded default and prints the rate. Run with the benchmark command in the README, adding
 * {@code -Dbenchmark.importRows=100000} for the full migration size.
 */
@Tag("benchmark")
class ImportBenchmarkTest {

	@Test
	void importRate() throws Exception {
		int rows = Integer.getInteger("benchmark.importRows", 3_000);
		Path dir = Files.createTempDirectory("fidelis-import");
		// a file of 100,000 rows is about 6 MB, past the default request limit (2 MiB)
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), "--logging.level.root=WARN",
				"--fidelis.graphql.max-request-bytes=" + (200L * rows + (4 << 20)))) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 0);
			// names as varied as a real customer base's, so the name index spreads over many buckets
			String[] first = { "Ada", "Bruno", "Chloe", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kenji",
					"Lina", "Mateo", "Nora", "Oscar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen",
					"Xavier", "Yara", "Zoltan" };
			String[] last = { "Almeida", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
					"Jansen", "Kowalski", "Lambert", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt",
					"Tanaka", "Ueda", "Vargas", "Weber", "Xu", "Yilmaz", "Zimmermann" };
			StringBuilder csv = new StringBuilder("email,name,phone,externalId,marketingOptIn,termsVersion\n");
			for (int i = 0; i < rows; i++) {
				csv.append("member").append(i).append("@example.com,").append(first[i % first.length]).append(' ')
						.append(last[(i / first.length) % last.length]).append(",,crm-").append(i).append(",true,2025-06\n");
			}
			FidelisNode.StoreCounters before = node.storeCounters();
			long started = System.nanoTime();
			JsonNode answer = node.graphQl(session.staff,
					"mutation($input: ImportMembersInput!) { importMembers(input: $input) { memberImport { id } } }",
					Map.of("input", Map.of("importId", "bench", "programId", "acme", "format", "CSV", "content", csv.toString())));
			if (!answer.path("data").path("importMembers").path("memberImport").path("id").isString()) {
				throw new IllegalStateException("The import was not started: " + answer);
			}
			// bounded: an import that never ends fails the benchmark instead of hanging it
			java.util.concurrent.atomic.AtomicReference<JsonNode> polled = new java.util.concurrent.atomic.AtomicReference<>();
			org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
					.until(() -> {
						polled.set(node.graphQl(session.staff,
								"{ memberImport(importId: \"bench\") { status processed enrolled failed } }", Map.of())
								.path("data").path("memberImport"));
						return !"RUNNING".equals(polled.get().path("status").asString());
					});
			JsonNode status = polled.get();
			double seconds = (System.nanoTime() - started) / 1e9;
			// the import is done when every module has heard of every member (accounts, cards, offer facts, reports)
			double caughtUp = seconds + PointsBenchmarkTest.drain(node).toNanos() / 1e9;
			String line = String.format("Imported %d rows (%d enrolled, %d failed) in %.1f s: %.0f members/s; "
					+ "every module listener caught up after %.1f s: %.0f members/s", rows, status.path("enrolled").asInt(),
					status.path("failed").asInt(), seconds, rows / seconds, caughtUp, rows / caughtUp);
			// what the store did for the import and everything the modules did on hearing of it
			FidelisNode.StoreCounters store = node.storeCounters().minus(before);
			double per1000 = rows / 1000.0;
			String commands = store.commands().entrySet().stream()
					.sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
					.map(e -> String.format("%s %.0f", e.getKey(), e.getValue() / per1000))
					.collect(java.util.stream.Collectors.joining(", "));
			String storeLine = String.format("Per 1,000 rows: %.0f store commands, %.0f documents changed, %.0f disk syncs, "
					+ "%.0f scans. Commands per 1,000 rows by collection: %s", store.commandCount() / per1000,
					store.records() / per1000, store.syncs() / per1000, store.scans() / per1000, commands);
			storeLine += String.format(". Live heap after a full collection, every member in the embedded store: %d MB "
					+ "(the node's -Xmx %s)", node.liveHeapBytes() >> 20, System.getProperty("benchmark.heap", "512m"));
			System.out.printf("%n%s%n%s%n", line, storeLine);
			BenchmarkResults.write("import-" + rows, "Member import, " + rows + " rows (CSV)", line + "\n\n" + storeLine + "\n\n"
					+ "Names vary as in a real customer base (26 first × 26 last names); rows enrolled in batches of 500, "
					+ "each batch announced to the other modules in one event.");
		}
	}
}
