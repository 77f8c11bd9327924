package io.fidelis.durability;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Live balances across two nodes sharing one store: many {@code pointsAccount} subscriptions
 * open on node B (over one graphql-ws connection), first idle, to measure what they cost node B's
 * CPU, then while node A earns one point at a time for their members, to measure how long a
 * change answered on A takes to reach a subscriber on B. Prints the figures and writes
 * docs/benchmarks/live-balances.md; asserts nothing about speed.
 */
@Tag("benchmark")
class LiveBalancesBenchmarkTest {

	private static final int SUBSCRIPTIONS = Integer.getInteger("benchmark.subscriptions", 10_000);
	private static final Duration IDLE = Duration.ofSeconds(Long.getLong("benchmark.seconds", 20));
	private static final int EARNS = Integer.getInteger("benchmark.earns", 200);

	@Test
	void liveBalances() throws Exception {
		Path dir = Files.createTempDirectory("fidelis-live-balances");
		try (FidelisNode a = new FidelisNode(dir.resolve("a"), dir.resolve("a.log"), "--logging.level.root=WARN",
				FidelisNode.NO_RATE_LIMITS)) {
			a.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(a, Integer.getInteger("benchmark.members", 200));
			PointsBenchmarkTest.drain(a);
			try (FidelisNode b = new FidelisNode(dir.resolve("b"), dir.resolve("b.log"), "--logging.level.root=WARN",
					FidelisNode.NO_RATE_LIMITS,
					"--fidelis.mongodb.uri=mongodb://127.0.0.1:" + a.storePort + "/fidelis")) {
				b.awaitHealthy(Duration.ofSeconds(120));
				String staffOnB = b.token("caller=staff&roles=admin");
				Duration before = b.cpuTime();
				long quietStart = System.nanoTime();
				waitFor(IDLE);
				double quietCore = share(b.cpuTime().minus(before), System.nanoTime() - quietStart);

				// every subscription's latest balance, and when each member's newest version arrived on B
				Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
				Map<String, Long> versions = new ConcurrentHashMap<>();
				AtomicLong first = new AtomicLong();
				WebSocketGraphQlClient socket = WebSocketGraphQlClient.builder("ws://localhost:" + b.port + "/graphql-ws",
						new ReactorNettyWebSocketClient()).interceptor(new WebSocketGraphQlClientInterceptor() {
							@Override
							public Mono<Object> connectionInitPayload() {
								return Mono.just(Map.of("Authorization", "Bearer " + staffOnB));
							}
						}).build();
				List<Disposable> open = new ArrayList<>();
				for (int i = 0; i < SUBSCRIPTIONS; i++) {
					String member = session.members.get(i % session.members.size());
					open.add(socket.document("subscription($id: ID!) { pointsAccount(memberId: $id) { version } }")
							.variable("id", member).retrieveSubscription("pointsAccount.version").toEntity(Long.class)
							.subscribe(version -> {
								first.incrementAndGet();
								versions.merge(member, version, (old, now) -> {
									if (now > old) {
										arrivedAt.put(member + "@" + now, System.nanoTime());
									}
									return Math.max(old, now);
								});
							}));
				}
				try {
					await().atMost(Duration.ofMinutes(3)).until(() -> first.get() >= SUBSCRIPTIONS);
				}
				catch (org.awaitility.core.ConditionTimeoutException notAll) {
					// the table says how many opened
				}
				long opened = first.get(); // every first read is answered: from here on, B is idle
				before = b.cpuTime();
				long idleStart = System.nanoTime();
				waitFor(IDLE);
				double idleCore = share(b.cpuTime().minus(before), System.nanoTime() - idleStart);

				// one earn at a time on A; the delay from its answer to its version on B
				List<Double> delays = new ArrayList<>();
				int missed = 0;
				for (int i = 0; i < EARNS; i++) {
					String member = session.members.get(i % session.members.size());
					String key = UUID.randomUUID().toString();
					String answer = a.graphQl(session.pos, "mutation { earnPoints(input: {memberId: \"" + member
							+ "\", points: 1, transactionId: \"tx-" + key + "\", idempotencyKey: \"" + key
							+ "\", source: {channel: IN_STORE}}) { entry { sequence } } }");
					long answered = System.nanoTime();
					// an entry's sequence is the account version it made
					long version = Long.parseLong(answer.replaceAll("(?s).*\"sequence\":(\\d+).*", "$1").strip());
					String change = member + "@" + version;
					try {
						await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
								.until(() -> arrivedAt.containsKey(change));
						delays.add(Math.max(0, arrivedAt.get(change) - answered) / 1e6);
					}
					catch (org.awaitility.core.ConditionTimeoutException never) {
						missed++;
					}
				}
				open.forEach(Disposable::dispose);
				Collections.sort(delays);

				String table = String.format("| figure | value |%n|---|---|%n"
						+ "| subscriptions open on node B (one graphql-ws connection, %d members) | %d of %d |%n"
						+ "| node B's CPU with no subscription, share of one core | %.1f %% |%n"
						+ "| node B's CPU with them open and idle, share of one core | %.1f %% |%n"
						+ "| earns answered on node A, one at a time | %d |%n"
						+ "| delay from an earn's answer on A to its balance on B, p50 / p95 / p99 / max | %.0f / %.0f / %.0f / %.0f ms |%n"
						+ "| changes that never arrived within 5 s | %d |%n",
						session.members.size(), opened, SUBSCRIPTIONS, quietCore * 100, idleCore * 100, EARNS,
						percentile(delays, 50), percentile(delays, 95), percentile(delays, 99),
						delays.isEmpty() ? Double.NaN : delays.get(delays.size() - 1), missed);
				System.out.println("\nLive balances across two nodes\n" + table);
				BenchmarkResults.write("live-balances", "Live balances: idle subscriptions and the delay across nodes",
						table + "\nNode A runs the embedded store; node B uses it through `fidelis.mongodb.uri`. Each "
								+ "member is followed by about " + SUBSCRIPTIONS / Math.max(1, session.members.size())
								+ " subscriptions. The delay counts from the earn's answer on A, so it holds A's settling "
								+ "(the balance feed is written as a settled batch) and B's feed reads (every 100 ms).\n");
			}
		}
	}

	private static double share(Duration cpu, long wallNanos) {
		return (double) cpu.toNanos() / wallNanos;
	}

	private static double percentile(List<Double> sorted, int p) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
	}

	/** A measuring window: the state waited for is the window's end, with a bound. */
	private static void waitFor(Duration span) {
		long end = System.nanoTime() + span.toNanos();
		await().atMost(span.plusSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> System.nanoTime() >= end);
	}
}
