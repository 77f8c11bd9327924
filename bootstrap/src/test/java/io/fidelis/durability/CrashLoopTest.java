package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * The crash loop: under sustained mixed load (earnings, redemptions, enrollments from 8 tills),
 * Fidelis is killed with kill -9 five times at random moments and restarted each time. Then every
 * acknowledged operation is present, every balance equals its ledger, and the event-fed report
 * converges to the ledger, in total and by region, channel, store and partner. Prints the counts. A long run: part of the benchmark command.
 */
@Tag("benchmark")
class CrashLoopTest {

	@TempDir
	Path dir;

	record Movement(String member, String key, long delta, long sequence) {
	}

	@Test
	void fiveKillsUnderLoadLoseNothing() throws Exception {
		Path data = dir.resolve("data");
		Map<String, Movement> movements = new ConcurrentHashMap<>();
		List<String> enrolled = new CopyOnWriteArrayList<>();
		List<String> members = new CopyOnWriteArrayList<>();
		List<String> cycles = new ArrayList<>();
		for (int cycle = 1; cycle <= 5; cycle++) {
			try (FidelisNode node = new FidelisNode(data, dir.resolve("node-" + cycle + ".log"), FidelisNode.NO_RATE_LIMITS)) {
				node.awaitHealthy(Duration.ofSeconds(120));
				LedgerSession session = new LedgerSession(node, cycle == 1 ? 12 : 0);
				members.addAll(session.members);
				int movementsBefore = movements.size();
				int enrolledBefore = enrolled.size();
				AtomicBoolean running = new AtomicBoolean(true);
				ExecutorService tills = Executors.newFixedThreadPool(8);
				for (int t = 0; t < 8; t++) {
					tills.submit(() -> {
						while (running.get()) {
							ThreadLocalRandom random = ThreadLocalRandom.current();
							String key = UUID.randomUUID().toString();
							try {
								if (random.nextInt(10) == 0) {
									String answer = node.graphQl(session.pos, "mutation { enrollMember(input: {programId: \"acme\", "
											+ "email: \"" + key + "@example.com\", name: \"Crash\", termsVersion: \"v1\", idempotencyKey: \""
											+ key + "\"}) { member { id } } }");
									if (answer.contains("\"enrollMember\":{")) {
										enrolled.add(FidelisNode.firstId(answer));
									}
									continue;
								}
								String member = members.get(random.nextInt(members.size()));
								long points = 1 + random.nextInt(40);
								boolean earn = random.nextInt(3) > 0;
								LedgerSession.Place place = LedgerSession.anyPlace();
								JsonNode entry = earn ? session.earn(member, points, key, place)
										: session.redeem(member, points, key, place);
								if (entry != null) {
									movements.put(key, new Movement(member, key, earn ? points : -points,
											entry.path("sequence").asLong()));
								}
							}
							catch (Exception killed) {
								// the node died under this call: not acknowledged
							}
						}
						return null;
					});
				}
				Thread.sleep(3_000 + ThreadLocalRandom.current().nextInt(9_000));
				node.kill();
				running.set(false);
				tills.shutdown();
				assertThat(tills.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
				cycles.add(String.format("cycle %d: %d movements and %d enrollments acknowledged, then kill -9", cycle,
						movements.size() - movementsBefore, enrolled.size() - enrolledBefore));
			}
		}

		try (FidelisNode node = new FidelisNode(data, dir.resolve("final.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(120));
			LedgerSession session = new LedgerSession(node, 0);
			long issued = 0;
			long redeemed = 0;
			List<LedgerSession.Entry> entries = new ArrayList<>();
			for (String member : members) {
				LedgerSession.Ledger ledger = session.ledger(member);
				entries.addAll(ledger.entries());
				assertThat(ledger.deltas()).as("one entry per version of %s", member).hasSize((int) ledger.version());
				assertThat(ledger.deltas().values().stream().mapToLong(Long::longValue).sum())
						.as("balance of %s equals its ledger", member).isEqualTo(ledger.available());
				for (long delta : ledger.deltas().values()) {
					if (delta > 0) {
						issued += delta;
					}
					else {
						redeemed += delta;
					}
				}
				movements.values().stream().filter(m -> m.member().equals(member)).forEach(m -> assertThat(
						ledger.deltas().get(m.sequence())).as("acknowledged %s", m).isEqualTo(m.delta()));
			}
			for (String id : enrolled) {
				assertThat(node.graphQl(session.staff, "query($id: ID!) { member(id: $id) { id } }", Map.of("id", id))
						.path("data").path("member").path("id").asString()).as("acknowledged enrollment").isEqualTo(id);
			}

			LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
			String report = "query($f: Date!, $t: Date!) { programReport(programId: \"acme\", from: $f, to: $t) {"
					+ " totals { issued redeemed enrollments } } }";
			Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
			JsonNode totals;
			long wantIssued = issued;
			long wantRedeemed = redeemed;
			long wantEnrolments = members.size() + enrolled.size();
			do {
				Thread.sleep(500);
				totals = node.graphQl(session.staff, report, Map.of("f", today.minusDays(1).toString(), "t",
						today.plusDays(1).toString())).path("data").path("programReport").path("totals");
			}
			while (Instant.now().isBefore(deadline) && (totals.path("issued").asLong() != wantIssued
					|| totals.path("redeemed").asLong() != wantRedeemed
					|| totals.path("enrollments").asLong() < wantEnrolments));

			StringBuilder summary = new StringBuilder();
			cycles.forEach(c -> summary.append("- ").append(c).append('\n'));
			summary.append(String.format("- after the last restart: %d members' ledgers equal their balances; %d "
					+ "acknowledged movements and %d acknowledged enrollments all present%n", members.size(),
					movements.size(), enrolled.size()));
			summary.append(String.format("- ledger issued %d / redeemed %d; report issued %d / redeemed %d / "
					+ "enrollments %d (at least %d acknowledged)%n", issued, redeemed, totals.path("issued").asLong(),
					totals.path("redeemed").asLong(), totals.path("enrollments").asLong(), wantEnrolments));
			System.out.printf("%nCrash loop (5 × kill -9 under 8 tills of earn/redeem/enroll):%n%s", summary);
			BenchmarkResults.write("crash-loop", "Crash loop: five kill -9 under mixed load",
					"Eight tills earn, redeem and enroll; the node is killed at a random moment 3 to 12 s into each "
							+ "cycle and restarted.\n\n" + summary);
			assertThat(totals.path("issued").asLong()).as("report issued converges to the ledger").isEqualTo(issued);
			assertThat(totals.path("redeemed").asLong()).as("report redeemed converges to the ledger").isEqualTo(redeemed);
			assertThat(totals.path("enrollments").asLong()).isGreaterThanOrEqualTo(wantEnrolments);
			ReportAgainstLedger.assertReportEqualsLedger(node, session.staff, "acme", entries, Duration.ofSeconds(60));
		}
	}
}
