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
 * Earn and redeem over HTTP with real JWTs against a node on the embedded default (durable,
 * on disk), at 1, 16 and 64 concurrent callers. Prints throughput and latency percentiles; it
 * asserts nothing about speed. Not part of the normal test run:
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
		try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), "--logging.level.root=WARN")) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 200);
			Call earn = (s, m) -> s.earn(m, 10, UUID.randomUUID().toString()) != null;
			Call redeem = (s, m) -> s.redeem(m, 1, UUID.randomUUID().toString()) != null;
			measure(session, earn, 16, WARM_UP, false);
			System.out.printf("%nFidelis points benchmark, %d cores, %s, %s%n", Runtime.getRuntime().availableProcessors(),
					System.getProperty("java.version"), java.time.LocalDate.now());
			System.out.printf("%-8s %6s %10s %9s %9s %9s %7s%n", "call", "conc", "ops/s", "p50 ms", "p95 ms", "p99 ms",
					"failed");
			for (int concurrency : new int[] { 1, 16, 64 }) {
				measure(session, earn, concurrency, RUN, true).print("earn", concurrency);
				measure(session, redeem, concurrency, RUN, true).print("redeem", concurrency);
			}
		}
	}

	record Figures(long ok, long failed, Duration over, List<Long> nanos) {
		void print(String call, int concurrency) {
			Collections.sort(nanos);
			System.out.printf("%-8s %6d %10.0f %9.1f %9.1f %9.1f %7d%n", call, concurrency,
					ok / (over.toNanos() / 1e9), pct(0.50), pct(0.95), pct(0.99), failed);
		}

		double pct(double p) {
			return nanos.isEmpty() ? 0 : nanos.get((int) Math.min(nanos.size() - 1, Math.round(p * nanos.size()))) / 1e6;
		}
	}

	static Figures measure(LedgerSession session, Call call, int concurrency, Duration duration, boolean record)
			throws Exception {
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
		return new Figures(ok.get(), failed.get(), duration, nanos);
	}
}
