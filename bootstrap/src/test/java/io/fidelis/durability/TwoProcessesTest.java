package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Two Fidelis processes on one store, with default settings but for the second's store address
 * (the README's way to add a node): a drain split across both spends exactly what is there, one
 * key sent to both has one effect, a live balance followed on one node sees an earn made on
 * the other, purchases on one node are returned on the other, and the program's report, counted
 * by both nodes' listeners, equals the ledger in total and by region, channel, store and partner.
 */
class TwoProcessesTest {

	static final String REDEEM = "mutation($i: RedeemPointsInput!) { redeemPoints(input: $i) { entry { sequence } replayed } }";
	static final String PURCHASE = "mutation($i: RecordPurchaseInput!) { recordPurchase(input: $i) { pointsEarned replayed } }";
	static final String RETURN = "mutation($i: RecordReturnInput!) { recordReturn(input: $i) { pointsReversed replayed } }";

	@TempDir
	Path dir;

	@Test
	void twoProcessesOnOneStoreKeepTheLedgerExactAndSeeEachOther() throws Exception {
		try (FidelisNode a = new FidelisNode(dir.resolve("a"), dir.resolve("a.log"), FidelisNode.NO_RATE_LIMITS)) {
			a.awaitHealthy(Duration.ofSeconds(90));
			try (FidelisNode b = new FidelisNode(dir.resolve("b"), dir.resolve("b.log"), FidelisNode.NO_RATE_LIMITS,
					"--fidelis.mongodb.uri=mongodb://127.0.0.1:" + a.storePort + "/fidelis")) {
				b.awaitHealthy(Duration.ofSeconds(90));
				// each node's development issuer signs its own tokens; the same caller on both (a real issuer serves both)
				String staff = a.token("caller=staff&roles=admin");
				String pos = a.token("caller=pos");
				Map<FidelisNode, String> tills = Map.of(a, pos, b, b.token("caller=pos"));
				Map<FidelisNode, String> staffOn = Map.of(a, staff, b, b.token("caller=staff&roles=admin"));
				assertThat(a.graphQl(staff, """
						mutation { defineProgram(input: {id: "two", name: "Two", currencies: ["EUR"], regions: ["FR", "DE"],
						  timeZone: "Europe/Paris"}) { program { id } } }""")).contains("\"two\"");
				String member = FidelisNode.firstId(a.graphQl(pos, "mutation { enrollMember(input: {programId: \"two\", "
						+ "email: \"tess@example.com\", name: \"Tess\", termsVersion: \"v1\", idempotencyKey: \""
						+ UUID.randomUUID() + "\"}) { member { id } } }"));
				assertThat(earn(a, pos, member, 1_000).path("errors").isMissingNode()).isTrue();

				// a live balance on B, then an earn on A
				List<Long> seenOnB = new java.util.concurrent.CopyOnWriteArrayList<>();
				WebSocketGraphQlClient socket = WebSocketGraphQlClient.builder("ws://localhost:" + b.port + "/graphql-ws",
						new ReactorNettyWebSocketClient()).interceptor(new WebSocketGraphQlClientInterceptor() {
							@Override
							public Mono<Object> connectionInitPayload() {
								return Mono.just(Map.of("Authorization", "Bearer " + staffOn.get(b)));
							}
						}).build();
				Disposable following = socket.document("subscription($id: ID!) { pointsAccount(memberId: $id) { available } }")
						.variable("id", member).retrieveSubscription("pointsAccount.available").toEntity(Long.class)
						.subscribe(seenOnB::add);
				try {
					await().atMost(Duration.ofSeconds(20)).until(() -> seenOnB.contains(1_000L));
					assertThat(earn(a, pos, member, 50).path("errors").isMissingNode()).isTrue();
					await().atMost(Duration.ofSeconds(10)).until(() -> seenOnB.contains(1_050L));
				}
				finally {
					following.dispose();
				}

				// one key sent eight times to each node at once
				ExecutorService callers = Executors.newFixedThreadPool(16);
				try {
					String key = UUID.randomUUID().toString();
					List<Future<JsonNode>> copies = new ArrayList<>();
					for (int i = 0; i < 16; i++) {
						FidelisNode on = i % 2 == 0 ? a : b;
						copies.add(callers.submit(() -> redeem(on, tills.get(on), member, 50, key)));
					}
					List<JsonNode> answers = new ArrayList<>();
					for (Future<JsonNode> copy : copies) {
						answers.add(copy.get(60, TimeUnit.SECONDS).path("data").path("redeemPoints"));
					}
					assertThat(answers.stream().map(x -> x.path("entry").path("sequence").asLong()).distinct()).hasSize(1);
					assertThat(answers.stream().filter(x -> !x.path("replayed").asBoolean())).hasSize(1);

					// a drain of the 1,000 points left, split across both nodes
					AtomicLong spent = new AtomicLong();
					List<Future<?>> drains = new ArrayList<>();
					for (int t = 0; t < 16; t++) {
						FidelisNode on = t % 2 == 0 ? a : b;
						drains.add(callers.submit(() -> {
							for (int n = 0; n < 20; n++) {
								JsonNode answer = redeem(on, tills.get(on), member, 7, UUID.randomUUID().toString());
								if (!answer.path("data").path("redeemPoints").isNull()
										&& !answer.path("data").path("redeemPoints").isMissingNode()) {
									spent.addAndGet(7);
								}
								else {
									assertThat(answer.toString()).contains("INSUFFICIENT_POINTS");
								}
							}
							return null;
						}));
					}
					for (Future<?> drain : drains) {
						drain.get(120, TimeUnit.SECONDS);
					}
					assertThat(spent.get()).isEqualTo(1_000 / 7 * 7);
				}
				finally {
					callers.shutdownNow();
				}
				for (FidelisNode on : List.of(a, b)) {
					assertThat(on.graphQl(staffOn.get(on), "{ member(id: \"" + member + "\") { points { available } } }"))
							.contains("\"available\":" + 1_000 % 7);
				}

				// stores and a partner defined on A and used on B at once; purchases on one node returned on the
				// other, which must keep the purchase's store, region and partner; earns at every place on both
				LedgerSession.definePlaces(a, staff, "two");
				List<Map<String, Object>> wheres = List.of(Map.of("store", "berlin-01", "region", "DE", "channel", "IN_STORE"),
						Map.of("store", "paris-01", "region", "FR", "channel", "IN_STORE"),
						Map.of("partner", "air-fr", "channel", "PARTNER"));
				for (int n = 0; n < 6; n++) {
					FidelisNode buyOn = n % 2 == 0 ? b : a;
					FidelisNode returnOn = buyOn == a ? b : a;
					String order = "O-" + n + "-" + UUID.randomUUID();
					Map<String, Object> input = new java.util.HashMap<>(wheres.get(n % wheres.size()));
					input.putAll(Map.of("programId", "two", "member", Map.of("memberId", member), "orderId", order,
							"currency", "EUR", "total", "30.00", "lines",
							List.of(Map.of("sku", "A", "category", "food", "quantity", "2", "unitPrice", "10.00"),
									Map.of("sku", "B", "category", "food", "quantity", "1", "unitPrice", "10.00"))));
					JsonNode bought = buyOn.graphQl(tills.get(buyOn), PURCHASE, Map.of("i", input));
					assertThat(bought.path("data").path("recordPurchase").path("pointsEarned").asLong()).as("%s", bought)
							.isPositive();
					JsonNode back = returnOn.graphQl(tills.get(returnOn), RETURN, Map.of("i", Map.of("orderId", order,
							"returnId", order + "-r", "lines", List.of(Map.of("sku", "B", "quantity", "1")))));
					assertThat(back.path("data").path("recordReturn").path("pointsReversed").asLong()).as("%s", back)
							.isPositive();
				}
				for (LedgerSession.Place place : LedgerSession.PLACES) {
					for (FidelisNode on : List.of(a, b)) {
						assertThat(earn(on, tills.get(on), member, 10, place).path("errors").isMissingNode()).isTrue();
					}
				}

				// the report equals the ledger, on either node, in total and by region, channel, store and
				// partner, though both nodes counted
				LedgerSession.Ledger ledger = LedgerSession.ledger(a, staff, member);
				long net = ledger.deltas().values().stream().mapToLong(Long::longValue).sum();
				assertThat(ledger.entries().stream().filter(e -> e.type().equals("REVERSED")).toList())
						.as("each return keeps its purchase's store and region, or partner").hasSize(6)
						.allMatch(e -> e.place().store() != null ? e.place().region() != null : "air-fr".equals(e.place().partner()));
				java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris"));
				Map<String, Object> range = Map.of("f", today.minusDays(1).toString(), "t", today.plusDays(1).toString());
				for (FidelisNode on : List.of(b, a)) {
					ReportAgainstLedger.assertReportEqualsLedger(on, staffOn.get(on), "two", ledger.entries(),
							Duration.ofSeconds(60));
					JsonNode report = on.graphQl(staffOn.get(on), """
							query($f: Date!, $t: Date!) { programReport(programId: "two", from: $f, to: $t) {
							  totals { netChange enrollments } rows { edges { node { liability { points } figures { activeMembers } } } } } }""", range)
							.path("data").path("programReport");
					assertThat(report.path("totals").path("netChange").asLong()).isEqualTo(net);
					assertThat(report.path("totals").path("enrollments").asLong()).isEqualTo(1);
					List<JsonNode> rows = new ArrayList<>();
					report.path("rows").path("edges").forEach(edge -> rows.add(edge.path("node")));
					assertThat(rows.get(rows.size() - 1).path("liability").path("points").asLong())
							.as("outstanding at the end").isEqualTo(net);
					// one member moved points, on both nodes: active once, though both nodes claimed their first activity
					long active = 0;
					for (JsonNode row : rows) {
						assertThat(row.path("figures").path("activeMembers").asLong()).as("active members on a day").isLessThanOrEqualTo(1);
						active += row.path("figures").path("activeMembers").asLong();
					}
					assertThat(active).as("active members, day by day").isPositive();
				}
			}
		}
	}

	private static JsonNode earn(FidelisNode on, String pos, String member, long points) throws Exception {
		return earn(on, pos, member, points, LedgerSession.TILL);
	}

	private static JsonNode earn(FidelisNode on, String pos, String member, long points, LedgerSession.Place place)
			throws Exception {
		String key = UUID.randomUUID().toString();
		return on.graphQl(pos, "mutation($i: EarnPointsInput!) { earnPoints(input: $i) { entry { sequence } } }",
				Map.of("i", Map.of("memberId", member, "points", points, "transactionId", "tx-" + key, "idempotencyKey", key,
						"source", place.source())));
	}

	private static JsonNode redeem(FidelisNode on, String pos, String member, long points, String key) throws Exception {
		return on.graphQl(pos, REDEEM, Map.of("i", Map.of("memberId", member, "points", points, "idempotencyKey", key,
				"source", Map.of("channel", "IN_STORE"))));
	}
}
