package io.fidelis.bootstrap.storage;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.bson.Document;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.fidelis.durability.BenchmarkResults;

/**
 * The embedded store's own rate: {@code updateOne} by {@code _id} through the driver on 10,000
 * documents of about 1.5 KB, at 1, 16 and 64 writers, durable (every acknowledged update synced
 * to disk, syncs shared) against the same engine with nothing on disk, in one run. Prints figures
 * and writes docs/benchmarks/store.md; asserts nothing about speed. Not part of the normal run:
 * {@code ./mvnw -pl bootstrap -am test -Dgroups=benchmark -Dfidelis.excludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=StoreBenchmarkTest}
 */
@Tag("benchmark")
class StoreBenchmarkTest {

	static final Duration RUN = Duration.ofSeconds(Long.getLong("benchmark.seconds", 10));
	static final int DOCUMENTS = 10_000;

	@Test
	void durableAgainstNotDurable() throws Exception {
		Path dir = Files.createTempDirectory("fidelis-store-benchmark");
		StringBuilder table = new StringBuilder(
				"| engine | writers | updates/s | p50 ms | p99 ms | syncs per update |\n|---|---|---|---|---|---|\n");
		List<String> ratios = new ArrayList<>();
		for (int writers : new int[] { 1, 16, 64 }) {
			double[] durable = run(DurableMemoryBackend.open(dir.resolve("w" + writers), 64 << 20), writers, table,
					"durable (log, group commit)");
			double[] volatileRate = run(DurableMemoryBackend.inMemory(), writers, table, "same engine, nothing on disk");
			ratios.add(String.format("- %d writers: durable reaches %.2f of the same engine with nothing on disk%n", writers,
					durable[0] / volatileRate[0]));
		}
		table.append("\n").append(String.join("", ratios));
		table.append("\nEach update: `updateOne({_id}, {$inc: {balance: 1}, $set: {touched: <random>}})` on one of "
				+ DOCUMENTS + " documents of about 1.5 KB, through mongodb-driver-sync to the embedded server on "
				+ "loopback; the writers share one client.\n");
		System.out.println(table);
		BenchmarkResults.write("store", "The embedded store's own update rate, durable and not", table.toString());
	}

	private static double[] run(DurableMemoryBackend store, int writers, StringBuilder table, String label)
			throws Exception {
		StoreServer server = new StoreServer(store);
		int port = server.bind(new InetSocketAddress("127.0.0.1", 0), Integer.getInteger("benchmark.ioThreads", 4)).getPort();
		try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
			MongoCollection<Document> accounts = client.getDatabase("bench").getCollection("accounts");
			String padding = "x".repeat(1_400);
			List<Document> batch = new ArrayList<>();
			for (int i = 0; i < DOCUMENTS; i++) {
				batch.add(new Document("_id", "m" + i).append("balance", 0L).append("padding", padding));
				if (batch.size() == 1_000) {
					accounts.insertMany(batch);
					batch.clear();
				}
			}
			measure(accounts, writers, Duration.ofSeconds(3)); // warm up
			long syncsBefore = store.isDurable() ? store.log().syncs() : 0;
			List<Long> nanos = measure(accounts, writers, RUN);
			long syncs = store.isDurable() ? store.log().syncs() - syncsBefore : 0;
			Collections.sort(nanos);
			double rate = nanos.size() / (RUN.toNanos() / 1e9);
			String row = String.format("| %s | %d | %.0f | %.2f | %.2f | %.3f |%n", label, writers, rate,
					nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.99)) / 1e6,
					(double) syncs / nanos.size());
			System.out.print(row);
			table.append(row);
			return new double[] { rate };
		}
		finally {
			server.close();
		}
	}

	private static List<Long> measure(MongoCollection<Document> accounts, int writers, Duration duration)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		long end = System.nanoTime() + duration.toNanos();
		List<Future<List<Long>>> futures = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			futures.add(pool.submit(() -> {
				List<Long> mine = new ArrayList<>();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (System.nanoTime() < end) {
					long start = System.nanoTime();
					accounts.updateOne(Filters.eq("_id", "m" + random.nextInt(DOCUMENTS)),
							Updates.combine(Updates.inc("balance", 1L), Updates.set("touched", random.nextLong())));
					mine.add(System.nanoTime() - start);
				}
				return mine;
			}));
		}
		List<Long> all = new ArrayList<>();
		for (Future<List<Long>> f : futures) {
			all.addAll(f.get());
		}
		pool.shutdown();
		return all;
	}
}
