package io.fidelis.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a request costs on its way through HTTP, security and GraphQL: {@code { __typename }},
 * the balance query, a till's card lookup ({@code memberByIdentifier}), a member's own
 * {@code me}, an earn, a redemption and a purchase, driven by Debian's {@code wrk} (a C load generator that costs the
 * node's two cores little, unlike a Java client) at 1, 16 and 64 connections against a node on
 * the embedded default, with a JFR profile of the node per call. Every answer is read: one
 * with {@code errors} counts as failed. Prints the figures and writes
 * docs/benchmarks/request-path.md; asserts nothing about speed. Skipped, saying why, where
 * {@code wrk} is not installed ({@code apt-get install wrk}).
 */
@Tag("benchmark")
class RequestPathBenchmarkTest {

	private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 10));
	/**
	 * An earn runs far more code than a read (the desk, settlement, every listener): after 10 s of
	 * it the JIT still compiled a third of a core, so its window measured the compiler too.
	 */
	private static final Duration WRITE_WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 40));
	private static final int WARM_UP_CONNECTIONS = Integer.getInteger("benchmark.warmUpCallers", 64);
	private static final Duration RUN = Duration.ofSeconds(Long.getLong("benchmark.seconds", 10));
	/** Calls that write: a longer warm-up, and each window lasts until the listeners caught up. */
	private static final java.util.Set<String> WRITES = java.util.Set.of("earn", "redeem", "purchase");

	private static final Pattern RESULT = Pattern.compile(
			"RESULT (\\d+) (\\d+) (\\d+) (\\d+) ([\\d.]+) ([\\d.]+) ([\\d.]+) ([\\d.]+)");

	@Test
	void requestPath() throws Exception {
		Assumptions.assumeTrue(wrkInstalled(), "wrk is not installed (apt-get install wrk): the request path benchmark needs it");
		Path dir = Files.createTempDirectory("fidelis-request-path");
		List<String> args = new ArrayList<>(List.of("--logging.level.root=WARN", FidelisNode.NO_RATE_LIMITS));
		// one more option for the node, e.g. -Dbenchmark.nodeArg=--logging.level.io.fidelis.access=INFO
		java.util.Optional.ofNullable(System.getProperty("benchmark.nodeArg")).ifPresent(args::add);
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), true,
				args.toArray(String[]::new))) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, Integer.getInteger("benchmark.members", 200));
			List<String> cards = new ArrayList<>(session.cardNumbers().values());
			List<String> memberTokens = session.appMemberTokens(50);
			Map<String, String> calls = new LinkedHashMap<>();
			calls.put("typename", "\"{\\\"query\\\":\\\"{ __typename }\\\"}\"");
			calls.put("balance", "'{\"query\":\"query($id: ID!) { member(id: $id) { points { available pending } } }\","
					+ "\"variables\":{\"id\":\"' .. members[math.random(#members)] .. '\"}}'");
			calls.put("identify", "'{\"query\":\"query($card: String!) { memberByIdentifier(programId: \\\\\"acme\\\\\", "
					+ "cardNumber: $card) { id points { available } } }\",\"variables\":{\"card\":\"' .. cards[math.random(#cards)] .. '\"}}'");
			calls.put("me", "'{\"query\":\"{ me(programId: \\\\\"acme\\\\\") { id name points { available pending } } }\"}'");
			calls.put("earn", "'{\"query\":\"mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { sequence "
					+ "delta } } }\",\"variables\":{\"input\":{\"memberId\":\"' .. members[math.random(#members)] .. '\",\"points\":10,"
					+ "\"transactionId\":\"tx-' .. key .. '\",\"idempotencyKey\":\"' .. key .. '\",\"source\":{\"channel\":\"IN_STORE\"}}}}'");
			// redeem spends what the earns credited: run it after earn (the default order)
			calls.put("redeem", "'{\"query\":\"mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { sequence "
					+ "delta } } }\",\"variables\":{\"input\":{\"memberId\":\"' .. members[math.random(#members)] .. '\",\"points\":1,"
					+ "\"idempotencyKey\":\"' .. key .. '\",\"source\":{\"channel\":\"IN_STORE\"}}}}'");
			node.graphQl(session.staff, "mutation { defineStore(input: {programId: \"acme\", storeId: \"paris-01\", "
					+ "name: \"Paris\", region: \"FR\"}) { store { storeId } } }");
			// challenges running while purchases come in (-Dbenchmark.challenges=20): every purchase moves them all
			int challenges = Integer.getInteger("benchmark.challenges", 0);
			String[][] kinds = { { "PURCHASES", "1000", "fuel" }, { "PURCHASES", "1000", null }, { "SPEND", "1000000", "food" },
					{ "SPEND", "1000000", null }, { "STORES", "1000", null } };
			for (int i = 0; i < challenges; i++) {
				String[] kind = kinds[i % kinds.length];
				String answer = node.graphQl(session.staff, "mutation { defineChallenge(input: {programId: \"acme\", challengeId: \"c" + i
						+ "\", name: \"Challenge " + i + "\", goal: " + kind[0] + ", target: \"" + kind[1] + "\""
						+ (kind[2] == null ? "" : ", category: \"" + kind[2] + "\"") + ", validFrom: \"" + java.time.Instant.now()
						.minus(Duration.ofDays(1)) + "\", validUntil: \"" + java.time.Instant.now().plus(Duration.ofDays(30))
						+ "\", rewardPoints: 100}) { challenge { id } } }");
				if (!answer.contains("\"id\":\"c" + i + "\"")) {
					throw new IllegalStateException("challenge not defined: " + answer);
				}
			}
			System.out.printf("%d challenges running in the program%n", challenges);
			calls.put("purchase", "'{\"query\":\"mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { "
					+ "pointsEarned balance } }\",\"variables\":{\"input\":{\"programId\":\"acme\",\"member\":{\"memberId\":\"' .. "
					+ "members[math.random(#members)] .. '\"},\"orderId\":\"' .. key .. '\",\"store\":\"paris-01\",\"channel\":"
					+ "\"IN_STORE\",\"region\":\"FR\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"SP95\",\"category\":\"fuel\","
					+ "\"quantity\":\"31.42\",\"unitPrice\":\"1.799\"},{\"sku\":\"COFFEE\",\"category\":\"food\",\"quantity\":\"2\","
					+ "\"unitPrice\":\"2.50\"}],\"total\":\"61.52\"}}}'");
			List<String> chosen = List.of(System.getProperty("benchmark.calls", String.join(",", calls.keySet())).split(","));
			List<Integer> connections = java.util.Arrays.stream(System.getProperty("benchmark.callers", "1,16,64").split(","))
					.map(String::trim).map(Integer::valueOf).toList();
			int most = connections.stream().mapToInt(Integer::intValue).max().orElseThrow();

			StringBuilder table = new StringBuilder("| call | connections | ops/s | p50 ms | p90 ms | p99 ms | failed "
					+ "| node CPU ms / op | JIT | compiler CPU | GC CPU | store commands / op | in a batch | mean batch |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
			Map<String, String> commandsAtMost = new LinkedHashMap<>();
			List<NodeProfile.Window> windows = new ArrayList<>();
			int run = 0;
			for (var call : calls.entrySet()) {
				if (!chosen.contains(call.getKey())) {
					continue;
				}
				Path script = dir.resolve(call.getKey() + ".lua");
				String token = call.getKey().equals("me") ? null : session.pos;
				wrk(node, script, call.getValue(), token, memberTokens, session.members, cards, "w" + run++, WARM_UP_CONNECTIONS,
						WRITES.contains(call.getKey()) ? WRITE_WARM_UP : WARM_UP);
				if (WRITES.contains(call.getKey())) {
					PointsBenchmarkTest.drain(node); // so that no window starts with the warm-up's backlog
				}
				for (int c : connections) {
					Instant from = Instant.now();
					Duration cpuBefore = node.cpuTime();
					FidelisNode.StoreCounters storeBefore = node.storeCounters();
					double jitBefore = node.jitMillis();
					double compilerBefore = node.compilerCpuMillis();
					double collectorBefore = node.collectorCpuMillis();
					double batchedBefore = node.counter("fidelis_points_desk_together_total");
					double batchesBefore = node.counter("fidelis_points_desk_batches_total");
					Result r = wrk(node, script, call.getValue(), token, memberTokens, session.members, cards, "r" + run++, c, RUN);
					if (WRITES.contains(call.getKey())) {
						PointsBenchmarkTest.drain(node); // the listeners' work is the write's too
					}
					Instant to = Instant.now();
					windows.add(new NodeProfile.Window(call.getKey(), c, from, to));
					long ops = Math.max(1, r.requests());
					double cpuPerOp = node.cpuTime().minus(cpuBefore).toNanos() / 1e6 / ops;
					FidelisNode.StoreCounters store = node.storeCounters().minus(storeBefore);
					double jitShare = (node.jitMillis() - jitBefore) / Duration.between(from, to).toMillis();
					double compilerShare = (node.compilerCpuMillis() - compilerBefore) / Duration.between(from, to).toMillis();
					double collectorShare = (node.collectorCpuMillis() - collectorBefore) / Duration.between(from, to).toMillis();
					double together = node.counter("fidelis_points_desk_together_total") - batchedBefore;
					double batches = node.counter("fidelis_points_desk_batches_total") - batchesBefore;
					String row = String.format("| %s | %d | %.0f | %.1f | %.1f | %.1f | %d | %.2f | %.0f %% | %.0f %% | %.0f %% | %.2f | %.0f %% | %.1f |%n",
							call.getKey(), c, r.rate(), r.p50(), r.p90(), r.p99(), r.failed(), cpuPerOp, 100 * jitShare,
							100 * compilerShare, 100 * collectorShare, store.commandCount() / ops, 100 * together / ops, batches == 0 ? 0 : together / batches);
					System.out.print(row);
					table.append(row);
					if (c == most && store.commandCount() / ops >= 0.5) {
						commandsAtMost.put(call.getKey(), store.commands().entrySet().stream()
								.sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(14)
								.map(e -> String.format("`%s` %.2f", e.getKey(), e.getValue() / ops))
								.collect(Collectors.joining(", ")));
					}
				}
			}
			table.append("\n`failed` counts answers that were not 200 or carried GraphQL `errors`. `node CPU ms / op` is the "
					+ "CPU time the node's process used (every thread, JIT and GC included; for the writes (earn, redeem, purchase) until their listeners "
					+ "caught up) per answered request: on a shared machine it moves less than the rates do. `JIT` is the "
					+ "node's compiler time as a share of the window (one core = 100 %): above a few per cent the window "
					+ "still measured warm-up. `compiler CPU` is the CPU the compiler threads used in the window (one core = 100 %; `JIT` is wall time, and on two busy cores a compiler thread waiting for its turn counts there). `GC CPU` is the CPU the garbage collector's threads used in the window, pauses and concurrent marking (one core = 100 %). The node runs with `-Xmx` from `-Dbenchmark.heap` (512m unless `default`, the JVM's own quarter of the memory, as `java -jar` runs Fidelis): here `" + System.getProperty("benchmark.heap", "512m") + "`. `store commands / op` counts every command the embedded store served "
					+ "(reads and writes, every listener's included) per answered request. `in a batch` is the share of "
					+ "requests the points desk answered in a batch (of one or more) rather than sending them alone; `mean "
					+ "batch` the requests answered per batch.\n");
			commandsAtMost.forEach((call, commands) -> table.append("\nStore commands per ").append(call).append(" at ")
					.append(most).append(" connections, by collection and command: ").append(commands).append(".\n"));
			table.append(NodeProfile.section(node, dir, windows, "connections",
					"until it ended (for the writes, until their listeners caught up)."));
			System.out.println(table);
			if (System.getProperty("benchmark.calls") == null && System.getProperty("benchmark.callers") == null) {
				BenchmarkResults.write("request-path", "The request path: HTTP, security and GraphQL per call (wrk)",
						table.toString());
			}
		}
	}

	/** @param failed answers that were not 200 or carried GraphQL errors, plus wrk's socket errors and timeouts */
	record Result(long requests, long failed, double seconds, double p50, double p90, double p99) {
		double rate() {
			return requests / seconds;
		}
	}

	/**
	 * Runs wrk with a Lua script that builds each request: {@code body} is a Lua expression that
	 * may use {@code members}, {@code cards} and a fresh {@code key}; {@code token} null picks a
	 * member's token at random for each request.
	 */
	static Result wrk(FidelisNode node, Path script, String body, String token, List<String> memberTokens,
			List<String> members, List<String> cards, String tag, int connections, Duration duration) throws Exception {
		Files.writeString(script, """
				threads = {}
				local members = {%s}
				local cards = {%s}
				local tokens = {%s}
				local counter = 0
				failed = 0
				function setup(thread)
				  table.insert(threads, thread)
				  thread:set("id", #threads)
				end
				function request()
				  counter = counter + 1
				  local key = "bench-%s-" .. id .. "-" .. counter
				  local token = %s
				  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json",
				    ["Authorization"] = "Bearer " .. token}, %s)
				end
				function response(status, headers, body)
				  if status ~= 200 or string.find(body, '"errors"', 1, true) then
				    failed = failed + 1
				    if failed == 1 then io.write("FIRST FAILURE " .. status .. " " .. string.sub(body, 1, 300) .. "\\n") end
				  end
				end
				function done(summary, latency, requests)
				  local f = 0
				  for _, t in ipairs(threads) do f = f + t:get("failed") end
				  local e = summary.errors
				  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f %%.1f %%.1f\\n", summary.requests, f,
				    e.connect + e.read + e.write + e.timeout, summary.duration, latency:percentile(50),
				    latency:percentile(90), latency:percentile(99), 0))
				end
				""".formatted(quoted(members), quoted(cards), quoted(memberTokens), tag,
				token == null ? "tokens[math.random(#tokens)]" : "\"" + token + "\"", body));
		Process wrk = new ProcessBuilder("wrk", "-t", Integer.toString(Math.min(2, connections)), "-c",
				Integer.toString(connections), "-d", duration.toSeconds() + "s", "--timeout", "10s", "-s", script.toString(),
				"http://127.0.0.1:" + node.port + "/graphql").redirectErrorStream(true).start();
		String output = new String(wrk.getInputStream().readAllBytes());
		if (wrk.waitFor() != 0) {
			throw new IllegalStateException("wrk failed: " + output);
		}
		output.lines().filter(l -> l.startsWith("FIRST FAILURE")).findFirst().ifPresent(System.out::println);
		Matcher m = RESULT.matcher(output);
		if (!m.find()) {
			throw new IllegalStateException("wrk printed no result: " + output);
		}
		return new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)),
				Long.parseLong(m.group(4)) / 1e6, Double.parseDouble(m.group(5)) / 1e3, Double.parseDouble(m.group(6)) / 1e3,
				Double.parseDouble(m.group(7)) / 1e3);
	}

	private static String quoted(List<String> values) {
		return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(","));
	}

	static boolean wrkInstalled() {
		try {
			return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() <= 1;
		}
		catch (Exception e) {
			return false;
		}
	}
}
