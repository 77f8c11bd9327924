package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules shipped in {@code ops/} query metrics that
 * exist: after a workload, every metric a panel or rule names is in {@code /actuator/prometheus}
 * with every label the query filters or groups on. The rule file parses as YAML with the rule
 * file's shape (promtool is not on every machine that runs this).
 */
class DashboardAndAlertsTest extends ApiTest {

	private static final Pattern METRIC = Pattern.compile("\\b((?:fidelis|http_server|mongodb_driver)_[a-z_]+)\\b(\\{([^}]*)})?");
	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without) \\(([^)]*)\\)");

	@Test
	void everyPanelAndRuleQueriesMetricsAndLabelsThatExist() throws Exception {
		workload();
		Path ops = Path.of(System.getProperty("user.dir")).resolve("../ops");
		List<String> expressions = new ArrayList<>();
		JsonNode dashboard = new ObjectMapper().readTree(Files.readString(ops.resolve("grafana/fidelis-dashboard.json")));
		dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> expressions.add(t.path("expr").asString())));
		Map<String, Object> rules = new Yaml().load(Files.readString(ops.resolve("prometheus/fidelis-alerts.yml")));
		for (Object group : (List<?>) rules.get("groups")) {
			for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
				Map<?, ?> r = (Map<?, ?>) rule;
				assertThat(r.get("alert")).as("every rule is an alert with a name").isInstanceOf(String.class);
				assertThat(((Map<?, ?>) r.get("annotations")).get("description")).as("and says what to do").isNotNull();
				expressions.add((String) r.get("expr"));
			}
		}
		assertThat(expressions).hasSizeGreaterThan(15);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<String, Set<String>> labels = scrapedLabels();
			List<String> missing = new ArrayList<>();
			for (String expr : expressions) {
				Set<String> named = new LinkedHashSet<>();
				Set<String> labelsOfExpr = new LinkedHashSet<>();
				Matcher m = METRIC.matcher(expr);
				while (m.find()) {
					String metric = m.group(1);
					named.add(metric);
					if (!labels.containsKey(metric)) {
						missing.add(metric + " (in " + expr + ")");
						continue;
					}
					labelsOfExpr.addAll(labels.get(metric));
					if (m.group(3) != null) {
						for (String matcher : m.group(3).split(",")) {
							String label = matcher.split("[=!~]")[0].strip();
							if (!labels.get(metric).contains(label)) {
								missing.add(metric + " has no label " + label + " (in " + expr + ")");
							}
						}
					}
				}
				Matcher by = GROUPING.matcher(expr);
				while (by.find()) {
					for (String label : by.group(1).split(",")) {
						if (!label.isBlank() && !labelsOfExpr.contains(label.strip())) {
							missing.add(named + " have no label " + label.strip() + " (in " + expr + ")");
						}
					}
				}
			}
			assertThat(missing).isEmpty();
		});
	}

	/** Each metric of the scrape with the labels its series carry ({@code le} for histogram buckets). */
	private Map<String, Set<String>> scrapedLabels() {
		String scrape = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
				.expectBody(String.class).returnResult().getResponseBody();
		Map<String, Set<String>> labels = new java.util.HashMap<>();
		for (String line : scrape.lines().filter(l -> !l.startsWith("#")).toList()) {
			int brace = line.indexOf('{');
			int space = line.indexOf(' ');
			String metric = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, Math.max(0, space));
			Set<String> of = labels.computeIfAbsent(metric, k -> new LinkedHashSet<>());
			if (brace > 0 && brace < space) {
				Matcher label = Pattern.compile("([a-zA-Z_]+)=\"").matcher(line.substring(brace, line.lastIndexOf('}')));
				while (label.find()) {
					of.add(label.group(1));
				}
			}
		}
		return labels;
	}

	/** What the panels show: enrollments, earns, redemptions, a purchase, a refusal, module events. */
	private void workload() {
		String program = program("ops-" + key());
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"ops\", name: \"Ops\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		graphQl(staffAdmin()).document("mutation($input: OfferInput!) { createOffer(input: $input) { offer { id } } }")
				.variable("input", Map.of("programId", program, "name", "Bonus", "kind", "BONUS", "bonusPoints", 5, "trigger", "PURCHASE",
						"validFrom", java.time.Instant.now().minusSeconds(60).toString(),
						"validUntil", java.time.Instant.now().plusSeconds(3_600).toString()))
				.execute().path("createOffer.offer.id").hasValue();
		String member = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		graphQl(pos()).document("mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { delta } } }")
				.variable("input", Map.of("memberId", member, "points", 30, "transactionId", key(), "idempotencyKey", key(),
						"source", Map.of("channel", "IN_STORE"))).execute().path("earnPoints.entry.delta").hasValue();
		graphQl(pos()).document("mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { delta } } }")
				.variable("input", Map.of("memberId", member, "points", 10, "idempotencyKey", key(),
						"source", Map.of("channel", "APP"))).execute().path("redeemPoints.entry.delta").hasValue();
		graphQl(pos()).document("mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned } }")
				.variable("input", Map.of("programId", program, "member", Map.of("memberId", member), "orderId", "o-" + key(),
						"store", "ops", "channel", "ONLINE", "currency", "EUR", "total", "20.00",
						"lines", List.of(Map.of("sku", "s1", "category", "c1", "quantity", "1", "unitPrice", "20.00"))))
				.execute().path("recordPurchase.pointsEarned").hasValue();
		graphQl(pos()).document("mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { entry { delta } } }")
				.variable("input", Map.of("memberId", member, "points", 1_000_000, "idempotencyKey", key(),
						"source", Map.of("channel", "APP"))).execute().errors().satisfy(e -> assertThat(e).isNotEmpty());
	}
}
