package io.fidelis.durability;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;

/** A program with members on a running node, and the earn/redeem calls a till makes. */
final class LedgerSession {

	static final String EARN = "mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { sequence delta } } }";
	static final String REDEEM = "mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { sequence delta } } }";

	/** Where a movement happened: what a report's dimensions (region, channel, store, partner) count by. */
	record Place(String channel, String region, String store, String partner) {

		Map<String, Object> source() {
			Map<String, Object> source = new LinkedHashMap<>();
			source.put("channel", channel);
			if (region != null) {
				source.put("region", region);
			}
			if (store != null) {
				source.put("store", store);
			}
			if (partner != null) {
				source.put("partner", partner);
			}
			return source;
		}
	}

	/** A till that names nothing but its channel. */
	static final Place TILL = new Place("IN_STORE", null, null, null);

	/** The places a mixed workload moves points at: two stores in two regions, the web shop, a partner, the app. */
	static final List<Place> PLACES = List.of(new Place("IN_STORE", "FR", "paris-01", null),
			new Place("IN_STORE", "DE", "berlin-01", null), new Place("ONLINE", "FR", null, null),
			new Place("PARTNER", null, null, "air-fr"), TILL);

	static Place anyPlace() {
		return PLACES.get(ThreadLocalRandom.current().nextInt(PLACES.size()));
	}

	final FidelisNode node;
	final String staff;
	final String pos;
	final List<String> members = new ArrayList<>();

	LedgerSession(FidelisNode node, int memberCount) throws IOException, InterruptedException {
		this.node = node;
		this.staff = node.token("caller=staff&roles=admin");
		this.pos = node.token("caller=pos");
		node.graphQl(staff, """
				mutation { defineProgram(input: {id: "acme", name: "Acme", currencies: ["EUR"], regions: ["FR", "DE"],
				  timeZone: "Europe/Paris"}) { program { id } } }""");
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (node.graphQl(staff, "{ pointRules(programId: \"acme\") { programId } }").contains("\"pointRules\":null")) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("point rules never appeared");
			}
			Thread.sleep(100);
		}
		if (memberCount > 0) {
			definePlaces(node, staff, "acme");
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
	/** The stores and the partner of {@link #PLACES}, defined in {@code program} (regions FR and DE). */
	static void definePlaces(FidelisNode node, String staff, String program) throws IOException, InterruptedException {
		for (String[] store : new String[][] { { "paris-01", "Paris", "FR" }, { "berlin-01", "Berlin", "DE" } }) {
			String answer = node.graphQl(staff, "mutation { defineStore(input: {programId: \"" + program + "\", storeId: \""
					+ store[0] + "\", name: \"" + store[1] + "\", region: \"" + store[2] + "\"}) { store { storeId } } }");
			if (!answer.contains("\"storeId\":\"" + store[0] + "\"")) {
				throw new IllegalStateException("store " + store[0] + " not defined: " + answer);
			}
		}
		String answer = node.graphQl(staff, "mutation { definePartner(input: {programId: \"" + program + "\", partnerId: "
				+ "\"air-fr\", name: \"Air France\", earnRates: [{currency: \"EUR\", pointsPerUnit: \"0.5\"}], "
				+ "issueCost: \"0.008\", redemptionValue: \"0.01\", settlementCurrency: \"EUR\"}) { partner { partnerId } } }");
		if (!answer.contains("\"partnerId\":\"air-fr\"")) {
			throw new IllegalStateException("partner not defined: " + answer);
		}
	}

	JsonNode earn(String member, long points, String key) throws IOException, InterruptedException {
		return earn(member, points, key, TILL);
	}

	JsonNode earn(String member, long points, String key, Place place) throws IOException, InterruptedException {
		return entry(node.graphQl(pos, EARN, Map.of("input", Map.of("memberId", member, "points", points,
				"transactionId", "tx-" + key, "idempotencyKey", key, "source", place.source()))), "earnPoints");
	}

	JsonNode redeem(String member, long points, String key) throws IOException, InterruptedException {
		return redeem(member, points, key, TILL);
	}

	JsonNode redeem(String member, long points, String key, Place place) throws IOException, InterruptedException {
		return entry(node.graphQl(pos, REDEEM, Map.of("input", Map.of("memberId", member, "points", points,
				"idempotencyKey", key, "source", place.source()))), "redeemPoints");
	}

	private static JsonNode entry(JsonNode answer, String field) {
		JsonNode entry = answer.path("data").path(field).path("entry");
		return answer.has("errors") || entry.isMissingNode() || entry.isNull() ? null : entry;
	}

	/** One ledger entry: its type, points and where it happened. */
	record Entry(long sequence, String type, long delta, Place place) {
	}

	/** Available balance, version and every ledger entry, with its delta by sequence. */
	record Ledger(long available, long version, Map<Long, Long> deltas, List<Entry> entries) {
	}

	Ledger ledger(String member) throws IOException, InterruptedException {
		return ledger(node, staff, member);
	}

	/** A member's whole ledger, page by page, as {@code token} (staff of the member's program) sees it. */
	static Ledger ledger(FidelisNode node, String token, String member) throws IOException, InterruptedException {
		String query = "query($id: ID!, $after: String) { member(id: $id) { points { available version "
				+ "history(first: 100, after: $after) { edges { node { sequence type delta channel region store partner } } "
				+ "pageInfo { hasNextPage endCursor } } } } }";
		Map<Long, Long> deltas = new java.util.HashMap<>();
		List<Entry> entries = new ArrayList<>();
		String after = null;
		long available = 0;
		long version = 0;
		do {
			Map<String, Object> variables = new java.util.HashMap<>(Map.of("id", member));
			if (after != null) {
				variables.put("after", after);
			}
			JsonNode points = node.graphQl(token, query, variables).path("data").path("member").path("points");
			available = points.path("available").asLong();
			version = points.path("version").asLong();
			for (JsonNode edge : points.path("history").path("edges")) {
				JsonNode e = edge.path("node");
				deltas.put(e.path("sequence").asLong(), e.path("delta").asLong());
				entries.add(new Entry(e.path("sequence").asLong(), e.path("type").asString(), e.path("delta").asLong(),
						new Place(text(e, "channel"), text(e, "region"), text(e, "store"), text(e, "partner"))));
			}
			JsonNode page = points.path("history").path("pageInfo");
			after = page.path("hasNextPage").asBoolean() ? page.path("endCursor").asString() : null;
		}
		while (after != null);
		return new Ledger(available, version, deltas, entries);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isMissingNode() || value.isNull() ? null : value.asString();
	}
}
