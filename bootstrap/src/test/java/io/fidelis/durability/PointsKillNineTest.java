package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * kill -9 under earn and redeem load: after the restart every acknowledged operation is in the
 * ledger with its sequence and amount, every balance equals its ledger, none is negative, the
 * report converges to the ledger in total and by region, channel, store and partner, and retrying
 * an acknowledged key answers the same entry.
 */
class PointsKillNineTest {

	@TempDir
	Path dir;

	record Acknowledged(String member, String key, boolean earn, long points, LedgerSession.Place place, long sequence) {
	}

	@Test
	void everyAcknowledgedMovementSurvivesAndTheLedgersHold() throws Exception {
		Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
		Path data = dir.resolve("data");
		List<String> members;
		try (FidelisNode node = new FidelisNode(data, dir.resolve("first.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			LedgerSession session = new LedgerSession(node, 10);
			members = List.copyOf(session.members);
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService tills = Executors.newFixedThreadPool(8);
			for (int t = 0; t < 8; t++) {
				tills.submit(() -> {
					while (running.get()) {
						String member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
						boolean earn = ThreadLocalRandom.current().nextInt(3) > 0;
						long points = 1 + ThreadLocalRandom.current().nextInt(50);
						String key = UUID.randomUUID().toString();
						LedgerSession.Place place = LedgerSession.anyPlace();
						try {
							JsonNode entry = earn ? session.earn(member, points, key, place)
									: session.redeem(member, points, key, place);
							if (entry != null) {
								acknowledged.put(key,
										new Acknowledged(member, key, earn, points, place, entry.path("sequence").asLong()));
							}
						}
						catch (Exception killed) {
							// the node died under us: not acknowledged
						}
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= 400);
			node.kill();
			running.set(false);
			tills.shutdown();
			assertThat(tills.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		System.out.printf("kill -9 after %d acknowledged earn/redeem operations%n", acknowledged.size());

		try (FidelisNode node = new FidelisNode(data, dir.resolve("second.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			LedgerSession session = new LedgerSession(node, 0);
			for (String member : members) {
				LedgerSession.Ledger ledger = session.ledger(member);
				assertThat(ledger.deltas()).as("one entry per version of %s", member).hasSize((int) ledger.version());
				assertThat(ledger.deltas().values().stream().mapToLong(Long::longValue).sum())
						.as("balance of %s equals its ledger", member).isEqualTo(ledger.available());
				assertThat(ledger.available()).isGreaterThanOrEqualTo(0);
				acknowledged.values().stream().filter(a -> a.member().equals(member)).forEach(a -> assertThat(
						ledger.deltas().get(a.sequence())).as("acknowledged %s", a).isEqualTo(a.earn() ? a.points() : -a.points()));
			}
			// the event-fed report catches up with the ledger, crash leftovers included, without a next request,
			// in total and by region, channel, store and partner
			List<LedgerSession.Entry> entries = new java.util.ArrayList<>();
			for (String member : members) {
				entries.addAll(session.ledger(member).entries());
			}
			ReportAgainstLedger.assertReportEqualsLedger(node, session.staff, "acme", entries, Duration.ofSeconds(60));
			int retried = 0;
			for (Acknowledged a : acknowledged.values()) {
				if (retried++ == 25) {
					break;
				}
				JsonNode again = a.earn() ? session.earn(a.member(), a.points(), a.key(), a.place())
						: session.redeem(a.member(), a.points(), a.key(), a.place());
				assertThat(again.path("sequence").asLong()).as("retry of %s", a).isEqualTo(a.sequence());
			}
		}
	}
}
