package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * kill -9 while tills redeem a reward with a stock, a limit per member and generated codes, then
 * every request sent (answered or cut short by the kill) sent again with its key after the
 * restart: each acknowledged redemption answers the same (its id and its code), no code is handed
 * out twice, the units taken are exactly the redemptions, and every member paid the points of
 * their redemptions once, within their limit.
 */
class RewardKillNineTest {

	static final long COST = 10;
	static final long STOCK = 150;
	static final int LIMIT = 8;
	static final String REDEEM = """
			mutation($input: RedeemCatalogRewardInput!) { redeemCatalogReward(input: $input) { replayed
			  redemption { id code status } } }""";

	@TempDir
	Path dir;

	record Sent(String member, String key) {
	}

	@Test
	void everyRedemptionIsHandedOutOnceAcrossAKill() throws Exception {
		Path data = dir.resolve("data");
		Map<String, Sent> sent = new ConcurrentHashMap<>(); // key → what it asked
		Map<String, String> acknowledged = new ConcurrentHashMap<>(); // key → "id|code"
		List<String> members;
		try (FidelisNode node = new FidelisNode(data, dir.resolve("first.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			LedgerSession session = new LedgerSession(node, 24);
			members = List.copyOf(session.members);
			for (String member : members) {
				session.earn(member, 1_000, "start-" + member);
			}
			String defined = node.graphQl(session.staff, "mutation { defineReward(input: {programId: \"acme\", rewardId: "
					+ "\"voucher\", name: \"Voucher\", points: " + COST + ", stock: " + STOCK + ", perMemberLimit: " + LIMIT
					+ ", fulfilment: GENERATED_CODE}) { reward { remaining } } }");
			assertThat(defined).contains("\"remaining\":" + STOCK);
			AtomicBoolean running = new AtomicBoolean(true);
			ExecutorService tills = Executors.newFixedThreadPool(8);
			for (int t = 0; t < 8; t++) {
				tills.submit(() -> {
					while (running.get()) {
						String member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
						String key = "voucher-" + UUID.randomUUID();
						sent.put(key, new Sent(member, key));
						try {
							JsonNode r = redeem(node, session.pos, member, key).path("data").path("redeemCatalogReward")
									.path("redemption");
							if (r.path("id").isString()) {
								acknowledged.put(key, r.path("id").asString() + "|" + r.path("code").asString());
							}
						}
						catch (Exception killed) {
							// the node died under us: not acknowledged
						}
					}
					return null;
				});
			}
			await().atMost(Duration.ofSeconds(90)).until(() -> acknowledged.size() >= 60);
			node.kill();
			running.set(false);
			tills.shutdown();
			assertThat(tills.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		System.out.printf("kill -9 after %d acknowledged redemptions of %d sent%n", acknowledged.size(), sent.size());

		try (FidelisNode node = new FidelisNode(data, dir.resolve("second.log"), FidelisNode.NO_RATE_LIMITS)) {
			node.awaitHealthy(Duration.ofSeconds(90));
			String pos = node.token("caller=pos");
			String staff = node.token("caller=staff&roles=admin");
			Map<String, String> redeemedBy = new HashMap<>(); // redemption id → member
			Set<String> codes = new HashSet<>();
			for (Sent s : sent.values()) {
				JsonNode answer = redeem(node, pos, s.member(), s.key());
				JsonNode r = answer.path("data").path("redeemCatalogReward").path("redemption");
				if (!r.path("id").isString()) {
					String code = answer.path("errors").path(0).path("extensions").path("code").asString();
					assertThat(code).as("a request not redeemed is sold out or over its member's limit: %s", answer)
							.isEqualTo("CONFLICT");
					assertThat(acknowledged).as("an acknowledged redemption stays redeemed").doesNotContainKey(s.key());
					continue;
				}
				String idAndCode = r.path("id").asString() + "|" + r.path("code").asString();
				if (acknowledged.containsKey(s.key())) {
					assertThat(idAndCode).as("the acknowledged answer again").isEqualTo(acknowledged.get(s.key()));
					assertThat(answer.path("data").path("redeemCatalogReward").path("replayed").asBoolean()).isTrue();
				}
				assertThat(redeemedBy.put(r.path("id").asString(), s.member())).as("one redemption per key").isNull();
				assertThat(codes.add(r.path("code").asString())).as("a code handed out once").isTrue();
			}
			long remaining = node.graphQl(staff, "{ rewards(programId: \"acme\") { remaining } }", Map.of()).path("data")
					.path("rewards").path(0).path("remaining").asLong();
			assertThat(STOCK - remaining).as("units taken: exactly the redemptions").isEqualTo(redeemedBy.size());
			for (String member : members) {
				long mine = redeemedBy.values().stream().filter(member::equals).count();
				assertThat(mine).as("within the limit").isLessThanOrEqualTo(LIMIT);
				JsonNode m = node.graphQl(staff, "query($id: ID!) { member(id: $id) { points { available } "
						+ "rewardRedemptions(first: 100) { totalCount } } }", Map.of("id", member)).path("data").path("member");
				assertThat(m.path("points").path("available").asLong()).as("points of %s taken once per redemption", member)
						.isEqualTo(1_000 - COST * mine);
				assertThat(m.path("rewardRedemptions").path("totalCount").asInt()).as("listed once each").isEqualTo((int) mine);
			}
		}
	}

	private static JsonNode redeem(FidelisNode node, String pos, String member, String key) throws Exception {
		return node.graphQl(pos, REDEEM, Map.of("input", Map.of("memberId", member, "rewardId", "voucher", "idempotencyKey",
				key, "source", Map.of("channel", "IN_STORE"))));
	}
}
