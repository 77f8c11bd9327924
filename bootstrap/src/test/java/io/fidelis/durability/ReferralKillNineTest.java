package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * kill -9 while friends enroll with members' referral codes: after the restart every acknowledged
 * referral has paid the friend and the referrer exactly once, and no referral, acknowledged or
 * cut short by the kill, has paid anyone twice.
 */
class ReferralKillNineTest {

	static final long REFERRER_POINTS = 50;
	static final long REFEREE_POINTS = 20;
	static final String ENROLL = """
			mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { member { id } } }""";
	static final String BONUSES = """
			query($id: ID!) { member(id: $id) { points { history(first: 100, types: [REFERRAL_BONUS]) {
			  edges { node { delta transactionId } } pageInfo { hasNextPage } } } } }""";

	@TempDir
	Path dir;

	@Test
	void everyAcknowledgedReferralPaysBothSidesOnceAcrossAKill() throws Exception {
		Map<String, String> referrerOf = new ConcurrentHashMap<>(); // acknowledged friend → referrer
		Path data = dir.resolve("data");
		List<String> referrers;
		try (FidelisNode node = new FidelisNode(data, dir.resolve("first.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			LedgerSession session = new LedgerSession(node, 5);
			referrers = List.copyOf(session.members);
			String rules = node.graphQl(session.staff, "mutation { setReferralRules(input: {programId: \"acme\", referrerPoints: "
					+ REFERRER_POINTS + ", refereePoints: " + REFEREE_POINTS + "}) { rules { referrerPoints } } }");
			assertThat(rules).contains("\"referrerPoints\":" + REFERRER_POINTS);
			Map<String, String> codes = new HashMap<>();
			for (String referrer : referrers) {
				codes.put(referrer, node.graphQl(session.staff, "query($id: ID!) { member(id: $id) { referralCode } }",
						Map.of("id", referrer)).path("data").path("member").path("referralCode").asString());
			}
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService desks = Executors.newFixedThreadPool(8);
			for (int t = 0; t < 8; t++) {
				desks.submit(() -> {
					while (running.get()) {
						String referrer = referrers.get(ThreadLocalRandom.current().nextInt(referrers.size()));
						Map<String, Object> input = Map.of("programId", "acme", "email", "friend-" + UUID.randomUUID() + "@example.com",
								"name", "Friend", "termsVersion", "v1", "idempotencyKey", "friend-" + UUID.randomUUID(),
								"referralCode", codes.get(referrer));
						try {
							JsonNode id = node.graphQl(session.pos, ENROLL, Map.of("input", input)).path("data")
									.path("enrollMember").path("member").path("id");
							if (id.isString()) {
								referrerOf.put(id.asString(), referrer);
							}
						}
						catch (Exception killed) {
							// the node died under us: not acknowledged
						}
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(90)).until(() -> referrerOf.size() >= 80);
			node.kill();
			running.set(false);
			desks.shutdown();
			assertThat(desks.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		System.out.printf("kill -9 after %d acknowledged referred enrollments%n", referrerOf.size());

		try (FidelisNode node = new FidelisNode(data, dir.resolve("second.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String staff = node.token("caller=staff&roles=admin");
			// what the kill left undelivered is handed to points again after the restart
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				Map<String, List<Long>> paidToReferrers = new HashMap<>(); // friend → what their referrer got
				for (String referrer : referrers) {
					bonuses(node, staff, referrer).forEach((friend, deltas) -> paidToReferrers.merge(friend, deltas, (a, b) -> {
						List<Long> all = new ArrayList<>(a);
						all.addAll(b);
						return all;
					}));
				}
				paidToReferrers.forEach((friend, deltas) -> assertThat(deltas).as("referrer's bonus for %s", friend)
						.containsExactly(REFERRER_POINTS));
				for (Map.Entry<String, String> referral : referrerOf.entrySet()) {
					String friend = referral.getKey();
					assertThat(paidToReferrers).as("referrer paid for %s", friend).containsKey(friend);
					assertThat(bonuses(node, staff, friend)).as("%s's own bonus", friend)
							.isEqualTo(Map.of(friend, List.of(REFEREE_POINTS)));
				}
			});
		}
	}

	/** A member's referral bonuses, by the friend each names. */
	private static Map<String, List<Long>> bonuses(FidelisNode node, String staff, String member) throws Exception {
		JsonNode history = node.graphQl(staff, BONUSES, Map.of("id", member)).path("data").path("member").path("points")
				.path("history");
		assertThat(history.path("pageInfo").path("hasNextPage").asBoolean()).as("one page holds them").isFalse();
		Map<String, List<Long>> byFriend = new HashMap<>();
		for (JsonNode edge : history.path("edges")) {
			String friend = edge.path("node").path("transactionId").asString().substring("referral:".length());
			byFriend.computeIfAbsent(friend, f -> new ArrayList<>()).add(edge.path("node").path("delta").asLong());
		}
		return byFriend;
	}
}
