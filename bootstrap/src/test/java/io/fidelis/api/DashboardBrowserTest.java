package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.points.application.SettingRules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The staff dashboard rendered by a real headless Chromium against live data: the page reads the
 * API with a staff token, and every chart shows the numbers the API returns. Chromium comes from
 * Debian's packages (CI installs them); where it is missing the test is skipped and says so.
 */
class DashboardBrowserTest extends ApiTest {

	static final Path CHROMIUM = Path.of(System.getProperty("fidelis.chromium", "/usr/bin/chromium"));

	@Autowired
	SettingRules rules;

	@Test
	void theChartsShowWhatTheApiSays() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
				"No Chromium at " + CHROMIUM + ": install Debian's chromium package (.ci/run does) to render the dashboard");
		String program = program("dash-" + key().substring(0, 8));
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		String memberToken = member("dash-" + key());
		graphQl(memberToken).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute();
		String member = graphQl(memberToken).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program)
				.execute().path("me.id").entity(String.class).get();
		for (long points : new long[] { 500, 250 }) {
			graphQl(pos()).document(PointsApiTest.EARN).variable("input", Map.of("memberId", member, "points", points,
					"transactionId", "r-" + key(), "idempotencyKey", key(), "source", Map.of("channel", "IN_STORE")))
					.execute();
		}
		graphQl(pos()).document(PointsApiTest.REDEEM).variable("input", PointsApiTest.redeemInput(member, 120, key()))
				.execute();
		String analyst = token("staff", "roles", "analyst");
		LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
		String from = today.minusDays(6).toString();
		String query = "query($p: ID!, $f: Date!, $t: Date!) { programReport(programId: $p, from: $f, to: $t) {"
				+ " rows(first: 1000) { edges { node { period figures { issued redeemed enrollments activeMembers }"
				+ " liability { points } tiers { tier members } } } } } }";
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> graphQl(analyst).document(query).variable("p", program)
				.variable("f", from).variable("t", today.toString()).execute()
				.path("programReport.rows.edges[6].node.figures.redeemed").entity(Long.class).isEqualTo(-120L));
		List<Map<String, Object>> rows = graphQl(analyst).document(query).variable("p", program).variable("f", from)
				.variable("t", today.toString()).execute().path("programReport.rows.edges[*].node").entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}).get();

		String dom = render("http://localhost:" + port + "/dashboard/?program=" + program + "&from=" + from + "&to=" + today
				+ "&groupBy=DAY#token=" + analyst);

		assertThat(dom).contains("data-state=\"ready\"");
		JsonNode points = values(dom, "chart-points");
		assertThat(longs(points.get(0))).isEqualTo(column(rows, "figures", "issued", 1));
		assertThat(longs(points.get(1))).isEqualTo(column(rows, "figures", "redeemed", -1));
		assertThat(longs(values(dom, "chart-liability").get(0))).isEqualTo(column(rows, "liability", "points", 1));
		assertThat(longs(values(dom, "chart-members").get(0))).isEqualTo(column(rows, "figures", "activeMembers", 1));
		assertThat(longs(values(dom, "chart-members").get(1))).isEqualTo(column(rows, "figures", "enrollments", 1));
		assertThat(longs(values(dom, "chart-tiers").get(0))).containsExactly(1L);
		assertThat(labels(dom, "chart-tiers")).as("no tier, named as in the API and the CSV").containsExactly("(none)");
		assertThat(longs(points.get(0))).endsWith(750L);
		assertThat(text(dom, "kpi-issued")).isEqualTo("750");
		assertThat(text(dom, "kpi-liability")).isEqualTo("630");
	}

	private static String render(String url) throws Exception {
		Path profile = Files.createTempDirectory("fidelis-chromium");
		Path out = profile.resolve("dom.html");
		Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=20000", "--dump-dom", url)
				.redirectOutput(out.toFile()).redirectError(profile.resolve("chromium.log").toFile()).start();
		assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
		return Files.readString(out, StandardCharsets.UTF_8);
	}

	private static JsonNode values(String dom, String canvas) {
		Matcher m = Pattern.compile("id=\"" + canvas + "\"[^>]*data-values=\"([^\"]*)\"").matcher(dom);
		assertThat(m.find()).as("chart %s was drawn", canvas).isTrue();
		return new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
	}

	private static List<String> labels(String dom, String canvas) {
		Matcher m = Pattern.compile("id=\"" + canvas + "\"[^>]*data-labels=\"([^\"]*)\"").matcher(dom);
		assertThat(m.find()).as("chart %s was drawn", canvas).isTrue();
		List<String> out = new ArrayList<>();
		new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&")).forEach(n -> out.add(n.asString()));
		return out;
	}

	private static String text(String dom, String id) {
		Matcher m = Pattern.compile("id=\"" + id + "\">([^<]*)<").matcher(dom);
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

	private static List<Long> longs(JsonNode array) {
		List<Long> out = new ArrayList<>();
		array.forEach(n -> out.add(n.asLong()));
		return out;
	}

	@SuppressWarnings("unchecked")
	private static List<Long> column(List<Map<String, Object>> rows, String group, String field, int sign) {
		return rows.stream().map(r -> sign * ((Number) ((Map<String, Object>) r.get(group)).get(field)).longValue()).toList();
	}
}
