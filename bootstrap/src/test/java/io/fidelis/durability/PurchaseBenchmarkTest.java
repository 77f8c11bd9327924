package io.fidelis.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * A till's view of recordPurchase (one caller, a three-line receipt, answer time as the till sees
 * it over HTTP), and the rate of a historical transaction import, on a node on the durable
 * embedded default. {@code -Dbenchmark.transactionRows=N} sets the import's size (default 3,000).
 */
@Tag("benchmark")
class PurchaseBenchmarkTest {

	static final String PURCHASE = """
			mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned balance } }""";

	@Test
	void till_answer_time_and_import_rate() throws Exception {
		int rows = Integer.getInteger("benchmark.transactionRows", 3_000);
		int purchases = Integer.getInteger("benchmark.purchases", 300);
		Path dir = Files.createTempDirectory("fidelis-purchases");
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), "--logging.level.root=WARN")) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 50);
			node.graphQl(session.staff, "mutation { defineStore(input: {programId: \"acme\", storeId: \"paris-01\", name: \"Paris\", region: \"FR\"}) { store { storeId } } }");
			node.graphQl(session.staff, "mutation { setCategoryRates(input: {programId: \"acme\", rates: [{category: \"fuel\", basis: QUANTITY, points: \"2\"}]}) { rates { category } } }");

			List<Double> millis = new ArrayList<>();
			for (int i = 0; i < purchases + 20; i++) {
				Map<String, Object> input = Map.of("programId", "acme", "member", Map.of("memberId", session.members.get(i % 50)),
						"orderId", "till-" + i, "store", "paris-01", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
						"lines", List.of(Map.of("sku", "SP95", "category", "fuel", "quantity", "31.42", "unitPrice", "1.799"),
								Map.of("sku", "COFFEE", "category", "food", "quantity", "2", "unitPrice", "2.50"),
								Map.of("sku", "WIPES", "category", "car", "quantity", "1", "unitPrice", "4.99")),
						"total", "66.51");
				long start = System.nanoTime();
				JsonNode answer = node.graphQl(session.pos, PURCHASE, Map.of("input", input));
				if (answer.has("errors")) {
					throw new AssertionError(answer.toString());
				}
				if (i >= 20) { // the first ones warm the node up
					millis.add((System.nanoTime() - start) / 1e6);
				}
			}
			Collections.sort(millis);
			String till = String.format("recordPurchase, one till, a three-line receipt (%d calls): p50 %.1f ms, p95 %.1f ms, "
					+ "p99 %.1f ms, max %.1f ms", millis.size(), pct(millis, 50), pct(millis, 95), pct(millis, 99),
					millis.get(millis.size() - 1));

			StringBuilder csv = new StringBuilder("orderId,memberId,store,currency,total,sku,category,quantity,unitPrice\n");
			for (int i = 0; i < rows; i++) {
				csv.append("hist-").append(i).append(',').append(session.members.get(i % 50)).append(",paris-01,EUR,")
						.append("40.00,SP95,fuel,20,2.00\n");
			}
			long started = System.nanoTime();
			node.graphQl(session.staff, "mutation($input: ImportTransactionsInput!) { importTransactions(input: $input) { transactionImport { importId } } }",
					Map.of("input", Map.of("importId", "bench", "programId", "acme", "format", "CSV", "content", csv.toString())));
			JsonNode status;
			do {
				Thread.sleep(500);
				status = node.graphQl(session.staff, "{ transactionImport(importId: \"bench\") { status recorded failed } }", Map.of())
						.path("data").path("transactionImport");
			}
			while ("RUNNING".equals(status.path("status").asString()));
			double seconds = (System.nanoTime() - started) / 1e9;
			String imported = String.format("Transaction import, %d CSV rows: %d recorded, %d failed in %.1f s: %.0f rows/s",
					rows, status.path("recorded").asInt(), status.path("failed").asInt(), seconds, rows / seconds);
			System.out.printf("%n%s%n%s%n", till, imported);
			BenchmarkResults.write("purchases", "Purchases at the till and transaction import", "- " + till + "\n- " + imported
					+ "\n\nEach purchase is one durable earning (six writes) plus its purchase record; the import records 8 rows at a time.");
		}
	}

	static double pct(List<Double> sorted, int p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
	}
}
