package io.fidelis.durability;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import io.fidelis.members.Caller;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.application.ReportStore;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Figures;
import io.fidelis.reporting.domain.Totals;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Prints (1) how long report queries take over a year of daily figures for 10 regions × 4
 * channels, in the use case and over HTTP with a real token, and (2) the lag between an earn's
 * answer and its figure showing in the report. On the durable embedded store, in a temp dir.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"fidelis.mongodb.embedded.port=0", "logging.level.root=WARN",
		"fidelis.mongodb.embedded.data-dir=${java.io.tmpdir}/fidelis-report-bench-${random.uuid}" })
class ReportingBenchmarkTest {

	@LocalServerPort
	int port;
	@Autowired
	ReportStore store;
	@Autowired
	ReadingReports reports;

	final Caller staff = new Caller.Staff("bench", java.util.Set.of("admin", "analyst"));

	@Test
	void reportQueriesOverAYearAndTheLagOfLiveFigures() throws Exception {
		String program = define("bench-year");
		LocalDate end = LocalDate.now(ZoneId.of("Europe/Paris"));
		LocalDate start = end.minusDays(364);
		Random random = new Random(1);
		Map<LocalDate, DayFigures> days = new HashMap<>();
		String[] channels = { "ONLINE", "IN_STORE", "APP", "PARTNER" };
		for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
			Map<DayFigures.Slice, Figures> slices = new HashMap<>();
			Map<String, Figures> stores = new HashMap<>();
			for (int r = 0; r < 10; r++) {
				for (String channel : channels) {
					Figures f = new Figures(random.nextInt(50_000), -random.nextInt(500), -random.nextInt(20_000),
							-random.nextInt(3_000), random.nextInt(100) - 50, 0, random.nextInt(40), random.nextInt(900),
							random.nextInt(300), random.nextInt(100));
					slices.put(new DayFigures.Slice("R" + r, channel), f);
					stores.merge("store-" + random.nextInt(50), f, Figures::plus);
				}
			}
			days.put(d, new DayFigures(d, slices, stores, Map.of(), Map.of("Gold", 3L, "", -3L), 40));
		}
		store.replace(program, days, new Totals(50_000_000, Map.of("Gold", 20_000L, "", 80_000L), 100_000));

		System.out.printf("%nReport queries over %d days × 10 regions × 4 channels (durable embedded store):%n", days.size());
		for (String[] shape : new String[][] { { "DAY", null }, { "WEEK", null }, { "MONTH", null }, { "DAY", "REGION" },
				{ "MONTH", "CHANNEL" }, { "MONTH", "STORE" } }) {
			List<Long> micros = new ArrayList<>();
			for (int i = 0; i < 25; i++) {
				long t0 = System.nanoTime();
				reports.report(staff, program, start.toString(), end.toString(), shape[0], shape[1]);
				micros.add((System.nanoTime() - t0) / 1_000);
			}
			print("  use case  groupBy " + shape[0] + (shape[1] == null ? "" : " by " + shape[1]), micros);
		}
		String token = token();
		String body = "{\"query\":\"query($p: ID!, $f: Date!, $t: Date!) { programReport(programId: $p, from: $f, to: $t,"
				+ " groupBy: DAY, by: REGION) { rows(first: 1000) { totalCount edges { node { period key figures { issued redeemed activeMembers } } } } } }\","
				+ "\"variables\":{\"p\":\"" + program + "\",\"f\":\"" + start + "\",\"t\":\"" + end + "\"}}";
		List<Long> http = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			long t0 = System.nanoTime();
			http().post().uri("/graphql").header("Authorization", "Bearer " + token)
					.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
					.expectBody(String.class).returnResult();
			http.add((System.nanoTime() - t0) / 1_000);
		}
		print("  HTTP + GraphQL, daily rows by region (the first 1,000 of 3,650 rows)", http);

		measureLag();
		BenchmarkResults.write("reporting", "Report queries and the lag of live figures",
				"A year of daily figures, 10 regions × 4 channels and 50 stores, queried 25 times each; the lag is "
						+ "from an earn's HTTP answer until the report shows it.\n\n" + page);
	}

	private void measureLag() throws Exception {
		String program = define("bench-lag");
		String admin = token();
		String pos = token("pos", null);
		String member = postGraphQl(pos, "mutation($i: EnrollMemberInput!) { enrollMember(input: $i) { member { id } } }",
				Map.of("i", Map.of("programId", program, "email", UUID.randomUUID() + "@example.com", "name", "Lag",
						"termsVersion", "v1", "idempotencyKey", UUID.randomUUID().toString())))
				.path("data").path("enrollMember").path("member").path("id").asString();
		String today = LocalDate.now(ZoneId.of("Europe/Paris")).toString();
		String reportQuery = "query($p: ID!, $d: Date!) { programReport(programId: $p, from: $d, to: $d) { totals { issued } } }";
		long issued = 0;
		List<Long> lagsMicros = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			long t0 = System.nanoTime();
			postGraphQl(pos, "mutation($i: EarnPointsInput!) { earnPoints(input: $i) { entry { delta } } }",
					Map.of("i", Map.of("memberId", member, "points", 10, "transactionId", "t" + i, "idempotencyKey",
							UUID.randomUUID().toString(), "source", Map.of("channel", "IN_STORE"))));
			long answered = System.nanoTime();
			issued += 10;
			while (postGraphQl(admin, reportQuery, Map.of("p", program, "d", today)).path("data").path("programReport")
					.path("totals").path("issued").asLong() < issued) {
				if (System.nanoTime() - t0 > Duration.ofSeconds(30).toNanos()) {
					throw new AssertionError("An earning did not reach the report within 30 s");
				}
			}
			lagsMicros.add((System.nanoTime() - answered) / 1_000);
		}
		print("\nLag from an earn's answer to its figure in the report (100 earns, polling over HTTP)", lagsMicros);
	}

	private String define(String program) {
		postGraphQl(token(), """
				mutation($id: ID!) { defineProgram(input: {id: $id, name: "Bench", currencies: ["EUR"], regions: ["FR"],
				  timeZone: "Europe/Paris"}) { program { id } } }""", Map.of("id", program));
		return program;
	}

	private JsonNode postGraphQl(String token, String query, Map<String, Object> variables) {
		String answer = http().post().uri("/graphql").header("Authorization", "Bearer " + token)
				.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", query, "variables", variables)).exchange()
				.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
		return new ObjectMapper().readTree(answer);
	}

	private String token() {
		return token("staff", "admin");
	}

	private String token(String caller, String roles) {
		var form = BodyInserters.fromFormData("caller", caller);
		if (roles != null) {
			form = form.with("roles", roles);
		}
		return http().post().uri("/dev-issuer/token").accept(MediaType.TEXT_PLAIN).body(form).exchange()
				.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody().strip();
	}

	private WebTestClient http() {
		return WebTestClient.bindToServer().codecs(c -> c.defaultCodecs().maxInMemorySize(32 << 20))
				.baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60))
				.build();
	}

	private final StringBuilder page = new StringBuilder("| what | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n");

	private void print(String what, List<Long> micros) {
		List<Long> sorted = new ArrayList<>(micros);
		Collections.sort(sorted);
		double p50 = sorted.get(sorted.size() / 2) / 1e3;
		double p95 = sorted.get((int) (sorted.size() * 0.95) - 1) / 1e3;
		double max = sorted.get(sorted.size() - 1) / 1e3;
		System.out.println(what);
		System.out.printf("      p50 %.1f ms   p95 %.1f ms   max %.1f ms%n", p50, p95, max);
		page.append(String.format("| %s | %.1f | %.1f | %.1f |%n", what.strip(), p50, p95, max));
	}
}
