package io.fidelis.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * The scale curve: balance-query and earn latency with 10k, 100k and 1M members
 * ({@code -Dbenchmark.scaleSteps=...}), on one node on the embedded default. The first members
 * are enrolled through the API; the rest are copies of one of them (profile and points account)
 * written straight into the store, since enrolling a million through the API would take hours.
 * Calls pick members at random among all of them, so that lookups reach the whole store. The
 * embedded store holds its data in the heap: give the node room with {@code -Dbenchmark.heap=8g}
 * for a million members.
 */
@Tag("benchmark")
class ScaleCurveTest {

	@Test
	void latencyAsMembersGrow() throws Exception {
		int[] steps = Arrays.stream(System.getProperty("benchmark.scaleSteps", "10000,100000,1000000").split(","))
				.mapToInt(s -> Integer.parseInt(s.strip())).toArray();
		Duration run = Duration.ofSeconds(Long.getLong("benchmark.seconds", 10));
		Path dir = Files.createTempDirectory("fidelis-scale");
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), "--logging.level.root=WARN",
				FidelisNode.NO_RATE_LIMITS);
				MongoClient store = MongoClients.create("mongodb://127.0.0.1:" + node.storePort)) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 20);
			MongoDatabase db = store.getDatabase("fidelis");
			MongoCollection<Document> profiles = db.getCollection("members_profiles");
			MongoCollection<Document> accounts = db.getCollection("points_accounts");
			String template = session.members.get(0);
			session.earn(template, 100, UUID.randomUUID().toString());
			Document profile = profiles.find(new Document("_id", template)).first();
			Document account = accounts.find(new Document("_id", template)).first();

			List<String> members = new ArrayList<>(session.members);
			PointsBenchmarkTest.Call balance = (s, m) -> !s.node.graphQl(s.pos,
					"query($id: ID!) { member(id: $id) { points { available } } }", Map.of("id", m)).has("errors");
			PointsBenchmarkTest.Call earn = (s, m) -> s.earn(m, 10, UUID.randomUUID().toString()) != null;
			StringBuilder table = new StringBuilder("| members | call | callers | ops/s | p50 ms | p95 ms | p99 ms |\n"
					+ "|---|---|---|---|---|---|---|\n");
			// warm before the first step: measured cold, the smallest step was the slowest (the JIT
			// compiled through it) and the curve fell as members grew (2026-12-06)
			Duration warmUp = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 60));
			PointsBenchmarkTest.measure(session, earn, 16, warmUp.dividedBy(2), false);
			PointsBenchmarkTest.measure(session, balance, 16, warmUp.dividedBy(2), false);
			Map<String, double[]> p99 = new java.util.LinkedHashMap<>(); // call at 16 callers: first and last step
			System.out.printf("%nScale curve (members, call, callers: ops/s p50 p95 p99 ms)%n");
			for (int target : steps) {
				long started = System.nanoTime();
				List<Document> newProfiles = new ArrayList<>();
				List<Document> newAccounts = new ArrayList<>();
				while (members.size() < target) {
					String id = "m_scale" + members.size();
					members.add(id);
					newProfiles.add(new Document(profile).append("_id", id).append("email", id + "@scale.example")
							.append("name", "Scale " + members.size()));
					newAccounts.add(new Document(account).append("_id", id));
					if (newProfiles.size() == 2_000 || members.size() == target) {
						profiles.insertMany(newProfiles);
						accounts.insertMany(newAccounts);
						newProfiles.clear();
						newAccounts.clear();
					}
				}
				System.out.printf("  %,d members in the store (loading took %.0f s)%n", target,
						(System.nanoTime() - started) / 1e9);
				// every call picks among all members: each fresh session list is the whole population
				session.members.clear();
				session.members.addAll(members);
				PointsBenchmarkTest.measure(session, balance, 4, Duration.ofSeconds(3), false);
				for (int callers : new int[] { 1, 16 }) {
					for (var call : List.of(Map.entry("balance", balance), Map.entry("earn", earn))) {
						PointsBenchmarkTest.Figures f = PointsBenchmarkTest.measure(session, call.getValue(), callers, run, true);
						java.util.Collections.sort(f.nanos());
						String row = String.format("| %,d | %s | %d | %.0f | %.1f | %.1f | %.1f |%n", target, call.getKey(),
								callers, f.rate(), f.pct(0.50), f.pct(0.95), f.pct(0.99));
						System.out.print("  " + row);
						table.append(row);
						if (callers == 16) {
							p99.computeIfAbsent(call.getKey(), k -> new double[] { f.pct(0.99), 0 })[1] = f.pct(0.99);
						}
					}
				}
			}
			table.append(String.format("%nThe node ran %d s of earns and balance queries at 16 callers before the first step, so that "
					+ "the first step is not measured while the JIT compiles. p99 at 16 callers, largest step against smallest "
					+ "(the goal is at most 1.5):%n%n", warmUp.toSeconds()));
			p99.forEach((call, ends) -> table.append(String.format("- %s: %.1f ms at %,d members, %.1f ms at %,d: %.2f%n", call,
					ends[0], steps[0], ends[1], steps[steps.length - 1], ends[1] / ends[0])));
			System.out.print(table);
			BenchmarkResults.write("scale", "Scale curve: balance query and earn as members grow",
					"Members beyond the first twenty are copies of an enrolled member written straight into the store; "
							+ "calls pick members at random among all of them.\n\n" + table);
		}
	}
}
