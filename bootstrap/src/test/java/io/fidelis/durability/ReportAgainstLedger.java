package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

/**
 * What a program's report must show, worked out from its members' ledgers, and what it shows: in
 * total and by every dimension (region, channel, store, partner), for every figure a ledger entry
 * moves. Reporting is fed by events, so a node that crashed or a second node that counted the
 * same entries must still end on exactly these figures.
 */
final class ReportAgainstLedger {

	/** The report's figures that ledger entries move; enrollments and active members are not in a ledger. */
	static final List<String> FIGURES = List.of("issued", "reversed", "redeemed", "expired", "adjusted", "transferred");

	/** The report's dimensions, with how a ledger entry's place names its row; null: the entry has no row. */
	static final Map<String, Function<LedgerSession.Place, String>> DIMENSIONS = Map.of(
			"REGION", p -> p.region() == null ? "(none)" : p.region(),
			"CHANNEL", p -> p.channel() == null ? "(none)" : p.channel(),
			"STORE", LedgerSession.Place::store,
			"PARTNER", LedgerSession.Place::partner);

	private ReportAgainstLedger() {
	}

	/** The figure a ledger entry's type moves, or null (activation moves pending to available, no total). */
	static String figure(String entryType) {
		return switch (entryType) {
			case "EARNED" -> "issued";
			case "REVERSED" -> "reversed";
			case "REDEEMED" -> "redeemed";
			case "EXPIRED" -> "expired";
			case "ADJUSTED" -> "adjusted";
			case "TRANSFERRED_OUT", "TRANSFERRED_IN" -> "transferred";
			default -> null;
		};
	}

	/** Figures by row key ("all" for the totals) from the entries; rows whose figures are all 0 are left out. */
	static Map<String, Map<String, Long>> fromLedger(Collection<LedgerSession.Entry> entries, String dimension) {
		Map<String, Map<String, Long>> rows = new TreeMap<>();
		for (LedgerSession.Entry e : entries) {
			String figure = figure(e.type());
			String key = dimension == null ? "all" : DIMENSIONS.get(dimension).apply(e.place());
			if (figure != null && key != null && e.delta() != 0) {
				rows.computeIfAbsent(key, k -> new TreeMap<>()).merge(figure, e.delta(), Long::sum);
			}
		}
		return rows;
	}

	/** The same from the program's report over yesterday to tomorrow (Paris), summed over its periods. */
	static Map<String, Map<String, Long>> fromReport(FidelisNode node, String staff, String program, String dimension)
			throws Exception {
		LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
		String figures = "figures { " + String.join(" ", FIGURES) + " }";
		String query = "query($p: ID!, $f: Date!, $t: Date!) { programReport(programId: $p, from: $f, to: $t"
				+ (dimension == null ? ") { totals { " + String.join(" ", FIGURES) + " } } }"
						: ", by: " + dimension + ") { rows(first: 1000) { edges { node { key " + figures + " } } } } }");
		JsonNode answer = node.graphQl(staff, query,
				Map.of("p", program, "f", today.minusDays(1).toString(), "t", today.plusDays(1).toString()));
		assertThat(answer.path("errors").isMissingNode()).as("report answered: %s", answer).isTrue();
		JsonNode report = answer.path("data").path("programReport");
		Map<String, Map<String, Long>> rows = new TreeMap<>();
		if (dimension == null) {
			add(rows, "all", report.path("totals"));
		}
		else {
			for (JsonNode edge : report.path("rows").path("edges")) {
				JsonNode row = edge.path("node");
				if (!row.path("key").isNull() && !row.path("key").isMissingNode()) {
					add(rows, row.path("key").asString(), row.path("figures"));
				}
			}
		}
		rows.values().removeIf(Map::isEmpty);
		return rows;
	}

	private static void add(Map<String, Map<String, Long>> rows, String key, JsonNode figures) {
		Map<String, Long> row = rows.computeIfAbsent(key, k -> new TreeMap<>());
		for (String figure : FIGURES) {
			long value = figures.path(figure).asLong();
			if (value != 0) {
				row.merge(figure, value, Long::sum);
			}
		}
	}

	/** Waits (with a bound) until the report equals the ledger in total and by every dimension. */
	static void assertReportEqualsLedger(FidelisNode node, String staff, String program,
			Collection<LedgerSession.Entry> entries, Duration within) {
		await().atMost(within).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(fromReport(node, staff, program, null)).as("totals").isEqualTo(fromLedger(entries, null));
			for (String dimension : DIMENSIONS.keySet()) {
				assertThat(fromReport(node, staff, program, dimension)).as("by %s", dimension)
						.isEqualTo(fromLedger(entries, dimension));
			}
		});
	}
}
