package io.fidelis.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Earn, redeem, a purchase, the balance query, enrollment, {@code { __typename }}, a till's
 * card lookup and a member's own {@code me} over HTTP with real JWTs against a node on the
 * embedded default (durable, on disk), at 1, 16 and 64 concurrent callers, and the store's own
 * rate for an earn's writes made straight through the driver. Prints throughput and latency
 * percentiles, and where the node's CPU went per call (JFR), and writes them to
 * docs/benchmarks/points.md; it asserts nothing about speed. Not part of the normal test run:
 * {@code ./mvnw -pl bootstrap -am test -Dgroups=benchmark -Dfidelis.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class PointsBenchmarkTest {

	static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 15));
	static final Duration RUN = Duration.ofSeconds(Long.getLong("benchmark.seconds", 10));

	interface Call {
		boolean run(LedgerSession session, String member) throws Exception;
	}

	@Test
	void earnAndRedeemRates() throws Exception {
		Path dir = Files.createTempDirectory("fidelis-benchmark");
		List<String> args = new java.util.ArrayList<>(List.of("--logging.level.root=WARN", FidelisNode.NO_RATE_LIMITS));
		// one more option for the node, e.g. -Dbenchmark.nodeArg=--logging.level.io.fidelis.store.scans=DEBUG
		java.util.Optional.ofNullable(System.getProperty("benchmark.nodeArg")).ifPresent(args::add);
		// a JFR recording of the node throughout (-Dbenchmark.profile=false leaves it out)
		boolean profiled = !"false".equals(System.getProperty("benchmark.profile"));
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), profiled,
				args.toArray(String[]::new))) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, Integer.getInteger("benchmark.members", 200));
			// a till looks members up by card number; members use the app with tokens of their own
			java.util.Map<String, String> cardNumbers = session.cardNumbers();
			List<String> memberTokens = session.appMemberTokens(50);
			Call typename = (s, m) -> s.node.graphQl(s.pos, "{ __typename }").contains("\"Query\"");
			Call identify = (s, m) -> !s.node.graphQl(s.pos, "query($card: String!) { memberByIdentifier(programId: \"acme\", "
					+ "cardNumber: $card) { id points { available } } }", java.util.Map.of("card", cardNumbers.get(m)))
					.path("data").path("memberByIdentifier").path("id").isMissingNode();
			Call me = (s, m) -> !s.node.graphQl(memberTokens.get(ThreadLocalRandom.current().nextInt(memberTokens.size())),
					"{ me(programId: \"acme\") { id name points { available pending } } }", java.util.Map.of())
					.path("data").path("me").path("id").isMissingNode();
			Call earn = (s, m) -> s.earn(m, 10, UUID.randomUUID().toString()) != null;
			Call redeem = (s, m) -> s.redeem(m, 1, UUID.randomUUID().toString()) != null;
			Call balance = (s, m) -> !s.node.graphQl(s.pos, "query($id: ID!) { member(id: $id) { points { available } } }",
					java.util.Map.of("id", m)).has("errors");
			// with variables, as a client sends it: until 2026-12-07 the values were written into the
			// document, so every enrollment was a new document to parse and validate (18 % of its CPU)
			Call enroll = (s, m) -> !s.node.graphQl(s.pos, "mutation($input: EnrollMemberInput!) { enrollMember(input: $input) "
					+ "{ member { id } } }", java.util.Map.of("input", java.util.Map.of("programId", "acme", "email",
							UUID.randomUUID() + "@example.com", "name", "Bench", "termsVersion", "v1", "idempotencyKey",
							UUID.randomUUID().toString())))
					.path("data").path("enrollMember").path("member").path("id").isMissingNode();
			node.graphQl(session.staff, "mutation { defineStore(input: {programId: \"acme\", storeId: \"paris-01\", "
					+ "name: \"Paris\", region: \"FR\"}) { store { storeId } } }");
			Call purchase = (s, m) -> !s.node.graphQl(s.pos, PurchaseBenchmarkTest.PURCHASE, java.util.Map.of("input",
					java.util.Map.of("programId", "acme", "member", java.util.Map.of("memberId", m), "orderId",
							"bench-" + UUID.randomUUID(), "store", "paris-01", "channel", "IN_STORE", "region", "FR",
							"currency", "EUR", "lines", List.of(java.util.Map.of("sku", "SP95", "category", "fuel",
									"quantity", "31.42", "unitPrice", "1.799"), java.util.Map.of("sku", "COFFEE",
											"category", "food", "quantity", "2", "unitPrice", "2.50")),
							"total", "61.52"))).has("errors");
			Call storeEarn = storeWrites(node);
			measure(session, earn, 16, WARM_UP, false);
			System.out.printf("%nFidelis points benchmark, %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
					System.getProperty("java.version"), java.time.LocalDate.now());
			System.out.printf("%-8s %6s %10s %10s %9s %9s %9s %7s %10s %9s %7s%n", "call", "conc", "ops/s", "sustained",
					"p50 ms", "p95 ms", "p99 ms", "failed", "changes/op", "syncs/op", "scans");
			StringBuilder table = new StringBuilder("| call | callers | ops/s | sustained ops/s | p50 ms | p95 ms | p99 ms "
					+ "| failed | changes/op | syncs/op | scans | changes/op by collection (top 8) |\n"
					+ "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
			java.util.Map<Integer, double[]> earnVsStore = new java.util.TreeMap<>();
			List<NodeProfile.Window> windows = new ArrayList<>();
			java.util.Map<String, Call> calls = new java.util.LinkedHashMap<>();
			calls.put("earn", earn);
			calls.put("redeem", redeem);
			calls.put("purchase", purchase);
			calls.put("balance", balance);
			calls.put("enroll", enroll);
			calls.put("typename", typename);
			calls.put("identify", identify);
			calls.put("me", me);
			calls.put("store", storeEarn);
			// -Dbenchmark.calls=earn,store -Dbenchmark.callers=64 narrows a run, e.g. to profile one call
			List<String> chosen = List.of(System.getProperty("benchmark.calls", String.join(",", calls.keySet())).split(","));
			for (String callers : System.getProperty("benchmark.callers", "1,16,64").split(",")) {
				int concurrency = Integer.parseInt(callers.trim());
				java.util.Map<String, Figures> figures = new java.util.HashMap<>();
				for (var call : calls.entrySet()) {
					if (chosen.contains(call.getKey())) {
						Figures measured = measure(session, call.getValue(), concurrency, RUN, true);
						table.append(measured.print(call.getKey(), concurrency));
						figures.put(call.getKey(), measured);
						windows.add(new NodeProfile.Window(call.getKey(), concurrency, measured.from(), measured.to()));
					}
				}
				if (figures.containsKey("earn") && figures.containsKey("store")) {
					earnVsStore.put(concurrency, new double[] { figures.get("earn").rate(), figures.get("store").rate() });
				}
			}
			table.append("\n`ops/s` counts answers during the window; `sustained ops/s` counts until every module "
					+ "listener has caught up with those calls (no event publication left). `changes/op` counts the "
					+ "documents the store wrote to its log per call, from the window's start until the listeners caught "
					+ "up, so every listener's work is included; `syncs/op` the disk syncs per call (one sync serves "
					+ "every writer waiting at that moment); `scans` the queries answered by reading a whole collection. "
					+ "Before an earn's answer two documents are written: its idempotency key (`points_requests`) and "
					+ "its account with the journal (`points_accounts`).\n");
			table.append("\n`store` is the store's own limit: the six writes an earn made when this was written "
					+ "(claim, account with its journal, history bucket, the key's result, journal trim, due-day list; "
					+ "the result is no longer written, kept here so that runs compare), sent straight through the "
					+ "MongoDB driver to the same embedded server, with no HTTP, GraphQL or security.\n\n");
			earnVsStore.forEach((c, r) -> table.append(String.format("- %d callers: earn reaches %.0f %% of the store's "
					+ "own rate for the same writes%n", c, 100 * r[0] / r[1])));
			if (profiled) {
				table.append(NodeProfile.section(node, dir, windows.stream().filter(w -> !"store".equals(w.call())).toList(),
						"callers", "until its listeners caught up. The load generator runs in another JVM on the same cores and "
								+ "is not sampled."));
			}
			System.out.println(table);
			if (System.getProperty("benchmark.calls") == null && System.getProperty("benchmark.callers") == null) {
				BenchmarkResults.write("points", "Points and enrollment over HTTP, and the store's own limit", table.toString());
			}
		}
	}

	/** The writes of one earn, made directly through the driver against the node's embedded server. */
	static Call storeWrites(FidelisNode node) {
		com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients
				.create("mongodb://127.0.0.1:" + node.storePort + "/?serverSelectionTimeoutMS=5000");
		com.mongodb.client.MongoDatabase db = client.getDatabase("benchmark_store");
		var requests = db.getCollection("requests");
		var accounts = db.getCollection("accounts");
		var history = db.getCollection("history");
		var schedule = db.getCollection("schedule");
		return (s, member) -> {
			String key = UUID.randomUUID().toString();
			requests.insertOne(new org.bson.Document("_id", key).append("fingerprint", key).append("member", member));
			org.bson.Document account = accounts.findOneAndUpdate(com.mongodb.client.model.Filters.eq("_id", member),
					com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.inc("version", 1L),
							com.mongodb.client.model.Updates.inc("available", 10L),
							com.mongodb.client.model.Updates.push("journal", new org.bson.Document("request", key)
									.append("delta", 10L).append("type", "EARNED"))),
					new com.mongodb.client.model.FindOneAndUpdateOptions().upsert(true)
							.returnDocument(com.mongodb.client.model.ReturnDocument.AFTER));
			long version = account.get("version", Number.class).longValue();
			history.updateOne(com.mongodb.client.model.Filters.eq("_id", member + "|" + version / 64),
					com.mongodb.client.model.Updates.set("entries.s" + version, new org.bson.Document("delta", 10L)
							.append("type", "EARNED").append("request", key)),
					new com.mongodb.client.model.UpdateOptions().upsert(true));
			requests.updateOne(com.mongodb.client.model.Filters.eq("_id", key),
					com.mongodb.client.model.Updates.set("result", version));
			accounts.updateOne(com.mongodb.client.model.Filters.eq("_id", member), com.mongodb.client.model.Updates
					.pullByFilter(new org.bson.Document("journal", new org.bson.Document("request", key))));
			schedule.updateOne(com.mongodb.client.model.Filters.eq("_id", "day|" + java.time.LocalDate.now().plusDays(14)),
					com.mongodb.client.model.Updates.addToSet("members", member),
					new com.mongodb.client.model.UpdateOptions().upsert(true));
			return true;
		};
	}

	/**
	 * @param store what the embedded store counted while the call ran: changes logged and disk syncs
	 *              (each listener's work that ran meanwhile included), and queries answered by scanning
	 */
	record Figures(long ok, long failed, Duration over, Duration drained, List<Long> nanos,
			FidelisNode.StoreCounters store, java.time.Instant from, java.time.Instant to) {
		/** Prints the line and answers it as a row of the results page. */
		String print(String call, int concurrency) {
			Collections.sort(nanos);
			double perOp = Math.max(1, ok);
			System.out.printf("%-8s %6d %10.0f %10.0f %9.1f %9.1f %9.1f %7d %10.1f %9.2f %7.0f %s%n", call, concurrency,
					rate(), sustained(), pct(0.50), pct(0.95), pct(0.99), failed, store.records() / perOp,
					store.syncs() / perOp, store.scans(), store.scansByCollection().isEmpty() ? "" : store.scansByCollection());
			System.out.printf("%17s changes/op by collection: %s%n", "", byCollection(perOp));
			System.out.printf("%17s commands/op %.1f: %s%n", "", store.commandCount() / perOp, commandsByCollection(perOp));
			return String.format("| %s | %d | %.0f | %.0f | %.1f | %.1f | %.1f | %d | %.1f | %.2f | %.0f | %s |%n", call,
					concurrency, rate(), sustained(), pct(0.50), pct(0.95), pct(0.99), failed, store.records() / perOp,
					store.syncs() / perOp, store.scans(), byCollection(perOp));
		}

		/** The commands sent most per call, by collection and command, reads included. */
		String commandsByCollection(double perOp) {
			return store.commands().entrySet().stream()
					.sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
					.map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / perOp))
					.collect(java.util.stream.Collectors.joining(", "));
		}

		/** The collections written most per call, with what each took per call. */
		String byCollection(double perOp) {
			return store.changesByCollection().entrySet().stream()
					.sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
					.map(e -> String.format("%s %.1f", e.getKey().replace("fidelis.", ""), e.getValue() / perOp))
					.collect(java.util.stream.Collectors.joining(", "));
		}

		double rate() {
			return ok / (over.toNanos() / 1e9);
		}

		/** Calls per second counting until every module listener has caught up with them. */
		double sustained() {
			return ok / ((over.toNanos() + drained.toNanos()) / 1e9);
		}

		double pct(double p) {
			return nanos.isEmpty() ? 0 : nanos.get((int) Math.min(nanos.size() - 1, Math.round(p * nanos.size()))) / 1e6;
		}
	}

	/**
	 * Waits until the listeners have done what the calls gave them: no event publication left
	 * (read with a count the store answers without a scan), for 200 ms on end. Bounded, so a
	 * listener that never catches up shows as a long drain rather than a hang.
	 */
	static Duration drain(FidelisNode node) {
		long start = System.nanoTime();
		try (com.mongodb.client.MongoClient client = com.mongodb.client.MongoClients
				.create("mongodb://127.0.0.1:" + node.storePort + "/?serverSelectionTimeoutMS=5000")) {
			var publications = client.getDatabase("fidelis").getCollection("event_publication");
			// empty for a moment, not just between two publications of a batch
			org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
					.during(Duration.ofMillis(200)).until(() -> publications.estimatedDocumentCount() == 0);
		}
		catch (org.awaitility.core.ConditionTimeoutException e) {
			System.out.println("listeners did not catch up within 3 minutes");
		}
		return Duration.ofNanos(System.nanoTime() - start);
	}

	static Figures measure(LedgerSession session, Call call, int concurrency, Duration duration, boolean record)
			throws Exception {
		FidelisNode.StoreCounters before = session.node.storeCounters();
		java.time.Instant from = java.time.Instant.now();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		List<Future<List<Long>>> futures = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			futures.add(pool.submit(() -> {
				List<Long> mine = new ArrayList<>();
				while (System.nanoTime() < end) {
					String member = session.members.get(ThreadLocalRandom.current().nextInt(session.members.size()));
					long start = System.nanoTime();
					boolean done;
					try {
						done = call.run(session, member);
					}
					catch (Exception e) {
						done = false;
					}
					long took = System.nanoTime() - start;
					if (done) {
						ok.incrementAndGet();
						if (record) {
							mine.add(took);
						}
					}
					else {
						failed.incrementAndGet();
					}
				}
				return mine;
			}));
		}
		List<Long> nanos = new ArrayList<>();
		for (Future<List<Long>> f : futures) {
			nanos.addAll(f.get());
		}
		pool.shutdown();
		// also after the warm-up, so that a window never starts with another's backlog
		Duration drained = drain(session.node);
		FidelisNode.StoreCounters after = session.node.storeCounters();
		return new Figures(ok.get(), failed.get(), duration, drained, nanos, after.minus(before), from,
				java.time.Instant.now());
	}
}
