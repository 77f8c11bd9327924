package io.fidelis.durability;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** A program with members on a running node, and the earn/redeem calls a till makes. */
final class LedgerSession {

	static final String EARN = "mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { sequence delta } } }";
	static final String REDEEM = "mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { sequence delta } } }";

	final FidelisNode node;
	final String staff;
	final String pos;
	final List<String> members = new ArrayList<>();

	LedgerSession(FidelisNode node, int memberCount) throws IOException, InterruptedException {
		this.node = node;
		this.staff = node.token("caller=staff&roles=admin");
		this.pos = node.token("caller=pos");
		node.graphQl(staff, """
				mutation { defineProgram(input: {id: "acme", name: "Acme", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "Europe/Paris"}) { program { id } } }""");
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (node.graphQl(staff, "{ pointRules(programId: \"acme\") { programId } }").contains("\"pointRules\":null")) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("point rules never appeared");
			}
			Thread.sleep(100);
		}
		for (int i = 0; i < memberCount; i++) {
			String answer = node.graphQl(pos, "mutation { enrollMember(input: {programId: \"acme\", email: \"m" + i + "-"
					+ UUID.randomUUID() + "@example.com\", name: \"M\", termsVersion: \"v1\", idempotencyKey: \"enroll-"
					+ UUID.randomUUID() + "\"}) { member { id } } }");
			members.add(FidelisNode.firstId(answer));
		}
	}

	/** Each member's card number, by member id, in enrollment order: what a till scans. */
	Map<String, String> cardNumbers() throws IOException, InterruptedException {
		Map<String, String> cards = new java.util.LinkedHashMap<>();
		for (String member : members) {
			cards.put(member, node.graphQl(staff, "query($id: ID!) { member(id: $id) { cardNumber } }", Map.of("id", member))
					.path("data").path("member").path("cardNumber").asString());
		}
		return cards;
	}

	/** Tokens of {@code count} members who enrolled themselves in the app (so that {@code me} finds them). */
	List<String> appMemberTokens(int count) throws IOException, InterruptedException {
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String token = node.token("caller=member&subject=bench-app-" + i);
			node.graphQl(token, "mutation { enrollMember(input: {programId: \"acme\", email: \"app" + i + "-" + UUID.randomUUID()
					+ "@example.com\", name: \"App\", termsVersion: \"v1\", idempotencyKey: \"app-" + UUID.randomUUID()
					+ "\"}) { member { id } } }");
			tokens.add(token);
		}
		return tokens;
	}

	/** Returns the written entry, or null when refused. */
	JsonNode earn(String member, long points, String key) throws IOException, InterruptedException {
		return entry(node.graphQl(pos, EARN, Map.of("input", Map.of("memberId", member, "points", points,
				"transactionId", "tx-" + key, "idempotencyKey", key, "source", Map.of("channel", "IN_STORE")))), "earnPoints");
	}

	JsonNode redeem(String member, long points, String key) throws IOException, InterruptedException {
		return entry(node.graphQl(pos, REDEEM, Map.of("input", Map.of("memberId", member, "points", points,
				"idempotencyKey", key, "source", Map.of("channel", "IN_STORE")))), "redeemPoints");
	}

	private static JsonNode entry(JsonNode answer, String field) {
		JsonNode entry = answer.path("data").path(field).path("entry");
		return answer.has("errors") || entry.isMissingNode() || entry.isNull() ? null : entry;
	}

	/** Available balance, version and every ledger entry's delta by sequence. */
	record Ledger(long available, long version, Map<Long, Long> deltas) {
	}

	Ledger ledger(String member) throws IOException, InterruptedException {
		String query = "query($id: ID!, $after: String) { member(id: $id) { points { available version "
				+ "history(first: 100, after: $after) { edges { node { sequence delta } } pageInfo { hasNextPage endCursor } } } } }";
		Map<Long, Long> deltas = new java.util.HashMap<>();
		String after = null;
		long available = 0;
		long version = 0;
		do {
			Map<String, Object> variables = new java.util.HashMap<>(Map.of("id", member));
			if (after != null) {
				variables.put("after", after);
			}
			JsonNode points = node.graphQl(staff, query, variables).path("data").path("member").path("points");
			available = points.path("available").asLong();
			version = points.path("version").asLong();
			for (JsonNode edge : points.path("history").path("edges")) {
				deltas.put(edge.path("node").path("sequence").asLong(), edge.path("node").path("delta").asLong());
			}
			JsonNode page = points.path("history").path("pageInfo");
			after = page.path("hasNextPage").asBoolean() ? page.path("endCursor").asString() : null;
		}
		while (after != null);
		return new Ledger(available, version, deltas);
	}
}
