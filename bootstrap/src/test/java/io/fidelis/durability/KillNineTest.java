package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 a node on the embedded server while enrollments stream in: after the restart every
 * acknowledged member is there, every one of them gets its points account (the MemberEnrolled
 * publication survived too and is delivered again), and the claims of enrollments the kill cut
 * short are given back by the sweep.
 */
class KillNineTest {

	@TempDir
	Path dir;

	@Test
	void nothingAcknowledgedIsLostAndNoEventIsMissed() throws Exception {
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		Path data = dir.resolve("data");
		try (FidelisNode node = new FidelisNode(data, dir.resolve("first.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String staff = node.token("caller=staff&roles=admin");
			assertThat(node.graphQl(staff, """
					mutation { defineProgram(input: {id: "acme", name: "Acme", currencies: ["EUR"], regions: ["FR"],
					  timeZone: "Europe/Paris"}) { program { id } } }""")).contains("\"acme\"");

			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger sequence = new AtomicInteger();
			ExecutorService writers = Executors.newFixedThreadPool(4);
			for (int w = 0; w < 4; w++) {
				writers.submit(() -> {
					while (running.get()) {
						int n = sequence.incrementAndGet();
						try {
							String answer = node.graphQl(staff, "mutation { enrollMember(input: {programId: \"acme\", email: \"p" + n
									+ "@example.com\", name: \"Person " + n + "\", termsVersion: \"v1\", idempotencyKey: \"crash-test-" + n
									+ "\"}) { member { id } } }");
							String id = FidelisNode.firstId(answer);
							if (id != null && !answer.contains("\"errors\"")) {
								acknowledged.add(id);
							}
						}
						catch (Exception killed) {
							// the node died under us: this one was never acknowledged
						}
					}
					return null;
				});
			}
			long started = System.nanoTime();
			await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 300);
			double seconds = (System.nanoTime() - started) / 1e9;
			System.out.printf("durable enrollments over HTTP, 4 writers: %.0f/s%n", acknowledged.size() / seconds);
			node.kill(); // while the writers are still writing
			running.set(false);
			writers.shutdown();
			assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		System.out.printf("kill -9 after %d acknowledged enrollments%n", acknowledged.size());

		// after the restart, claims whose enrollment the kill cut short are given back within seconds
		try (FidelisNode node = new FidelisNode(data, dir.resolve("second.log"), FidelisNode.NO_RATE_LIMITS, "--fidelis.members.claim-sweep-after=PT5S",
				"--fidelis.members.claim-sweep-interval=PT1S", "--fidelis.members.claim-sweep-initial-delay=PT20S")) {
			node.awaitHealthy(Duration.ofSeconds(90));
			try (com.mongodb.client.MongoClient store = com.mongodb.client.MongoClients
					.create("mongodb://127.0.0.1:" + node.storePort + "/?serverSelectionTimeoutMS=5000")) {
				// before the first sweep (20 s after the start), what the kill left
				System.out.printf("claims of members that never came to be, at the restart: %d%n",
						orphans(store.getDatabase("fidelis").getCollection("members_claims"),
								store.getDatabase("fidelis").getCollection("members_profiles")).size());
			}
			String staff = node.token("caller=staff&roles=admin");
			List<String> missing = new ArrayList<>();
			for (String id : acknowledged) {
				if (!node.graphQl(staff, "{ member(id: \"" + id + "\") { id } }").contains("\"id\":\"" + id + "\"")) {
					missing.add(id);
				}
			}
			assertThat(missing).as("acknowledged members missing after kill -9").isEmpty();

			// each look asks again only for the members still without an account
			Set<String> withoutAccount = ConcurrentHashMap.newKeySet();
			withoutAccount.addAll(acknowledged);
			try {
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					for (String id : List.copyOf(withoutAccount)) {
						if (node.graphQl(staff, "{ member(id: \"" + id + "\") { points { available } } }").contains("\"available\":0")) {
							withoutAccount.remove(id);
						}
					}
					assertThat(withoutAccount).as("members whose MemberEnrolled never reached points").isEmpty();
				});
			}
			catch (org.awaitility.core.ConditionTimeoutException e) {
				// what the node was doing and what the registry held, for whoever reads the failure
				try (com.mongodb.client.MongoClient store = com.mongodb.client.MongoClients
						.create("mongodb://127.0.0.1:" + node.storePort + "/?serverSelectionTimeoutMS=5000")) {
					var publications = store.getDatabase("fidelis").getCollection("event_publication");
					System.out.println("event publications left: " + publications.countDocuments());
					publications.find().limit(3).forEach(p -> System.out.println("  " + p.toJson()));
					// an account absent from the store, or there but not read back, are different faults
					var accounts = store.getDatabase("fidelis").getCollection("points_accounts");
					System.out.println("points accounts in the store: " + accounts.countDocuments());
					for (String id : withoutAccount.stream().limit(3).toList()) {
						String answer = node.graphQl(staff, "{ member(id: \"" + id + "\") { points { available } } }");
						org.bson.Document stored = accounts.find(com.mongodb.client.model.Filters.eq("_id", id)).first();
						System.out.printf("  %s: answered %s; in the store: %s%n", id, answer,
								stored == null ? "no" : stored.toJson());
					}
				}
				System.out.println(node.threads());
				throw e;
			}

			try (com.mongodb.client.MongoClient store = com.mongodb.client.MongoClients
					.create("mongodb://127.0.0.1:" + node.storePort + "/?serverSelectionTimeoutMS=5000")) {
				var claims = store.getDatabase("fidelis").getCollection("members_claims");
				var profiles = store.getDatabase("fidelis").getCollection("members_profiles");
				await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
					assertThat(orphans(claims, profiles)).as("claims whose owner was never stored").isEmpty();
					assertThat(claims.countDocuments(com.mongodb.client.model.Filters.regex("_id", "^pending\\|[0-9]")))
							.as("claim batches not swept").isZero();
				});
			}
		}
		finally {
			for (String log : List.of("first.log", "second.log")) {
				if (!Files.exists(dir.resolve(log))) {
					continue;
				}
				System.out.println("--- " + log);
				// errors with their causes, so that a failure on a CI machine can be understood from its log
				Files.readAllLines(dir.resolve(log)).stream()
						.filter(l -> l.contains("ERROR") || l.contains("Caused by") || l.contains("Exception:")
								|| l.contains(" WARN ") || l.strip().startsWith("at de.bwaldvogel") || l.strip().startsWith("at io.fidelis"))
						.limit(80).forEach(System.out::println);
			}
		}
	}

	/** Claims owned by a member id that has no profile (a test may read the whole collection). */
	private static List<String> orphans(com.mongodb.client.MongoCollection<org.bson.Document> claims,
			com.mongodb.client.MongoCollection<org.bson.Document> profiles) {
		Set<String> stored = new java.util.HashSet<>();
		profiles.find().projection(new org.bson.Document("_id", 1)).forEach(d -> stored.add(d.getString("_id")));
		List<String> orphans = new ArrayList<>();
		claims.find(com.mongodb.client.model.Filters.exists("owner")).forEach(d -> {
			String owner = d.getString("owner");
			if (owner.startsWith("m_") && !stored.contains(owner)) {
				orphans.add(d.getString("_id") + " of " + owner);
			}
		});
		return orphans;
	}
}
