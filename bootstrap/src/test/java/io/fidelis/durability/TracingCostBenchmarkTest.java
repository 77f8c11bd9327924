package io.fidelis.durability;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * What tracing costs: the balance query and an earn at 64 connections (wrk), on nodes with
 * tracing off and on, alternating (off, on, off, on) so that the machine's drift falls on both.
 * With tracing on, every request is traced (its settling, listeners and store commands too) and
 * the spans go by OTLP to a receiver in this process that reads and counts them, as a collector
 * would.
 */
@Tag("benchmark")
class TracingCostBenchmarkTest {

	private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 15));
	private static final Duration WRITE_WARM_UP = Duration.ofSeconds(Long.getLong("benchmark.warmUpSeconds", 40));
	private static final Duration RUN = Duration.ofSeconds(Long.getLong("benchmark.seconds", 15));
	private static final int CONNECTIONS = Integer.getInteger("benchmark.callers", 64);
	private static final String BALANCE = "'{\"query\":\"query($id: ID!) { member(id: $id) { points { available pending } } }\","
			+ "\"variables\":{\"id\":\"' .. members[math.random(#members)] .. '\"}}'";
	private static final String EARN = "'{\"query\":\"mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { "
			+ "sequence delta } } }\",\"variables\":{\"input\":{\"memberId\":\"' .. members[math.random(#members)] .. '\",\"points\":10,"
			+ "\"transactionId\":\"tx-' .. key .. '\",\"idempotencyKey\":\"' .. key .. '\",\"source\":{\"channel\":\"IN_STORE\"}}}}'";

	@Test
	void tracingOffAndOn() throws Exception {
		Assumptions.assumeTrue(RequestPathBenchmarkTest.wrkInstalled(),
				"wrk is not installed (apt-get install wrk): the tracing benchmark needs it");
		AtomicLong exports = new AtomicLong();
		AtomicLong bytes = new AtomicLong();
		HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		collector.createContext("/v1/traces", exchange -> {
			bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
			exports.incrementAndGet();
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		collector.start();
		StringBuilder table = new StringBuilder("| tracing | call | ops/s | p50 ms | p99 ms | failed | node CPU ms / op "
				+ "| OTLP bytes / op |\n|---|---|---|---|---|---|---|---|\n");
		try {
			for (boolean tracing : new boolean[] { false, true, false, true }) {
				Path dir = Files.createTempDirectory("fidelis-tracing");
				List<String> args = new ArrayList<>(List.of("--logging.level.root=WARN", FidelisNode.NO_RATE_LIMITS));
				if (tracing) {
					args.add("--management.tracing.export.enabled=true");
					args.add("--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
							+ collector.getAddress().getPort() + "/v1/traces");
				}
				try (FidelisNode node = new FidelisNode(dir.resolve("data"), dir.resolve("node.log"), args.toArray(String[]::new))) {
					node.awaitHealthy(Duration.ofSeconds(120));
					LedgerSession session = new LedgerSession(node, Integer.getInteger("benchmark.members", 200));
					for (String call : new String[] { "balance", "earn" }) {
						String body = call.equals("earn") ? EARN : BALANCE;
						Path script = dir.resolve(call + ".lua");
						RequestPathBenchmarkTest.wrk(node, script, body, session.pos, List.of(), session.members, List.of(),
								"w" + call, CONNECTIONS, call.equals("earn") ? WRITE_WARM_UP : WARM_UP);
						PointsBenchmarkTest.drain(node);
						Duration cpuBefore = node.cpuTime();
						long bytesBefore = bytes.get();
						RequestPathBenchmarkTest.Result r = RequestPathBenchmarkTest.wrk(node, script, body, session.pos,
								List.of(), session.members, List.of(), "r" + call, CONNECTIONS, RUN);
						PointsBenchmarkTest.drain(node); // an earn's listeners are its cost too
						if (tracing) { // the exporter's last batch: it sends every 5 s, or at 512 spans
							long exported = exports.get();
							org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
									.until(() -> exports.get() >= exported + 1);
						}
						long ops = Math.max(1, r.requests());
						String row = String.format("| %s | %s | %.0f | %.1f | %.1f | %d | %.2f | %.0f |%n", tracing ? "on" : "off",
								call, r.rate(), r.p50(), r.p99(), r.failed(),
								node.cpuTime().minus(cpuBefore).toNanos() / 1e6 / ops, (bytes.get() - bytesBefore) / (double) ops);
						System.out.print(row);
						table.append(row);
					}
				}
			}
		}
		finally {
			collector.stop(0);
		}
		table.append("\n").append(CONNECTIONS).append(" connections, ").append(RUN.toSeconds())
				.append(" s per window after a warm-up; nodes alternate so that the machine's drift falls on both. ")
				.append("`node CPU ms / op` is the node's CPU time (every thread) per answered request, for earn until its ")
				.append("listeners caught up. With tracing on, every request is sampled (`FIDELIS_TRACING_SAMPLING=1.0`) and ")
				.append("exported by OTLP over HTTP to a receiver on this machine (").append(exports.get())
				.append(" exports in all).\n");
		System.out.println(table);
		BenchmarkResults.write("tracing", "What tracing costs: balance and earn with tracing off and on", table.toString());
	}
}
