package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;

import io.fidelis.points.application.SettingRules;

/**
 * Reports through the API with real tokens: figures appear as points move, split and grouped,
 * as CSV too, and every caller who may not read them is refused.
 */
class ReportingApiTest extends ApiTest {

	static final String REPORT = """
			query($p: ID!, $from: Date!, $to: Date!, $g: ReportGrouping, $by: ReportDimension) {
			  programReport(programId: $p, from: $from, to: $to, groupBy: $g, by: $by) {
			    programId costPerPoint { amount currency } breakageRate
			    totals { issued redeemed expired netChange enrollments }
			    rows { totalCount edges { node { period key figures { issued redeemed enrollments activeMembers }
			           liability { points value { amount currency } } members tiers { tier members } } } } } }""";

	@Autowired
	SettingRules rules;

	String program;
	String member;
	String today;

	@BeforeEach
	void aProgramWithOneMember() {
		program = program("reports-" + key().substring(0, 8));
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		String token = member("dora-" + key());
		graphQl(token).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute();
		member = graphQl(token).document("query($p: ID!) { me(programId: $p) { id } }").variable("p", program).execute()
				.path("me.id").entity(String.class).get();
		today = LocalDate.now(ZoneId.of("Europe/Paris")).toString();
	}

	String analyst() {
		return token("staff", "roles", "analyst");
	}

	GraphQlTester.Request<?> report(String token, String from, String to, String grouping, String by) {
		return graphQl(token).document(REPORT).variable("p", program).variable("from", from).variable("to", to)
				.variable("g", grouping).variable("by", by);
	}

	private void earn(long points, String channel, String store) {
		graphQl(pos()).document(PointsApiTest.EARN).variable("input", Map.of("memberId", member, "points", points,
				"transactionId", "r-" + key(), "idempotencyKey", key(), "source",
				Map.of("channel", channel, "region", "FR", "store", store))).execute()
				.path("earnPoints.entry.delta").entity(Long.class).isEqualTo(points);
	}

	@Test
	void figuresFollowThePointsAsTheyMove() {
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setReportSettings(input: {programId: $p, costPerPoint: "0.005", currency: "EUR"}) {
				  settings { costPerPoint { amount currency } } } }""").variable("p", program).execute()
				.path("setReportSettings.settings.costPerPoint.amount").entity(String.class).isEqualTo("0.005")
				.path("setReportSettings.settings.costPerPoint.currency").entity(String.class).isEqualTo("EUR");
		earn(500, "IN_STORE", "paris-01");
		earn(100, "ONLINE", "web");
		graphQl(pos()).document(PointsApiTest.REDEEM).variable("input", PointsApiTest.redeemInput(member, 200, key()))
				.execute().path("redeemPoints.entry.delta").entity(Long.class).isEqualTo(-200L);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> report(analyst(), today, today, "DAY", null).execute()
				.path("programReport.totals.redeemed").entity(Long.class).isEqualTo(-200L));
		GraphQlTester.Response day = report(analyst(), today, today, "DAY", null).execute();
		day.path("programReport.totals.issued").entity(Long.class).isEqualTo(600L)
				.path("programReport.totals.enrollments").entity(Long.class).isEqualTo(1L)
				.path("programReport.rows.edges[0].node.period").entity(String.class).isEqualTo(today)
				.path("programReport.rows.edges[0].node.figures.activeMembers").entity(Long.class).isEqualTo(1L)
				.path("programReport.rows.edges[0].node.liability.points").entity(Long.class).isEqualTo(400L)
				.path("programReport.rows.edges[0].node.liability.value.amount").entity(String.class).isEqualTo("2.000")
				.path("programReport.rows.edges[0].node.liability.value.currency").entity(String.class).isEqualTo("EUR")
				.path("programReport.rows.edges[0].node.members").entity(Long.class).isEqualTo(1L)
				.path("programReport.rows.edges[0].node.tiers[0].members").entity(Long.class).isEqualTo(1L)
				.path("programReport.rows.edges[0].node.tiers[0].tier").entity(String.class).isEqualTo("(none)");
		// the former spelling still answers, the same figure
		graphQl(analyst()).document("""
				query($p: ID!, $d: Date!) { programReport(programId: $p, from: $d, to: $d) { totals { enrolments enrollments } } }""")
				.variable("p", program).variable("d", today).execute()
				.path("programReport.totals.enrolments").entity(Long.class).isEqualTo(1L)
				.path("programReport.totals.enrollments").entity(Long.class).isEqualTo(1L);

		report(analyst(), today, today, "MONTH", "CHANNEL").execute()
				.path("programReport.rows.edges[*].node.key").entityList(String.class).containsExactly("APP", "IN_STORE", "ONLINE", "SELF_SERVICE")
				.path("programReport.rows.edges[1].node.figures.issued").entity(Long.class).isEqualTo(500L)
				.path("programReport.rows.edges[1].node.liability").valueIsNull();
		graphQl(analyst()).document("""
				query($p: ID!, $d: Date!) { topStores(programId: $p, from: $d, to: $d) { name issued } }""")
				.variable("p", program).variable("d", today).execute()
				.path("topStores[0].name").entity(String.class).isEqualTo("paris-01")
				.path("topStores[0].issued").entity(Long.class).isEqualTo(500L);

		String csv = http().get().uri("/reports/{p}/figures.csv?from={d}&to={d}", program, today, today)
				.header("Authorization", "Bearer " + analyst()).exchange().expectStatus().isOk()
				.expectHeader().contentTypeCompatibleWith("text/csv").expectBody(String.class).returnResult()
				.getResponseBody();
		assertThat(csv.lines()).hasSize(2).first().asString().startsWith("period,key,issued");
		assertThat(csv.lines().skip(1).findFirst().orElseThrow()).startsWith(today + ",,600,0,-200,0,0,0,400,1,1,")
				.contains(",400,2.000,EUR,1,");

		// counting again from what was kept changes nothing
		graphQl(staffAdmin()).document("mutation($p: ID!) { rebuildReports(input: {programId: $p}) { activities days } }")
				.variable("p", program).execute().path("rebuildReports.activities").entity(Integer.class).isEqualTo(4);
		report(analyst(), today, today, "DAY", null).execute().path("programReport.totals.issued").entity(Long.class)
				.isEqualTo(600L).path("programReport.rows.edges[0].node.liability.points").entity(Long.class).isEqualTo(400L)
				.path("programReport.rows.edges[0].node.figures.activeMembers").entity(Long.class).isEqualTo(1L);
	}

	@Test
	void aReportsRowsComeAPageAtATimeInOrder() {
		String from = LocalDate.parse(today).minusDays(9).toString();
		String page = """
				query($p: ID!, $f: Date!, $t: Date!, $first: Int, $after: String) {
				  programReport(programId: $p, from: $f, to: $t) { rows(first: $first, after: $after) {
				    totalCount edges { cursor node { period } } pageInfo { hasPreviousPage hasNextPage endCursor } } } }""";
		List<String> periods = new java.util.ArrayList<>();
		String after = null;
		int pages = 0;
		do {
			GraphQlTester.Response answer = graphQl(analyst()).document(page).variable("p", program).variable("f", from)
					.variable("t", today).variable("first", 4).variable("after", after).execute();
			answer.path("programReport.rows.totalCount").entity(Integer.class).isEqualTo(10)
					.path("programReport.rows.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(after != null);
			periods.addAll(answer.path("programReport.rows.edges[*].node.period").entityList(String.class).get());
			after = answer.path("programReport.rows.pageInfo.hasNextPage").entity(Boolean.class).get()
					? answer.path("programReport.rows.pageInfo.endCursor").entity(String.class).get()
					: null;
			pages++;
		}
		while (after != null);
		assertThat(pages).isEqualTo(3);
		assertThat(periods).hasSize(10).isSorted().doesNotHaveDuplicates().startsWith(from).endsWith(today);

		// a page size out of range, or a cursor no page of this report gave, is refused
		refusedWith(graphQl(analyst()).document(page).variable("p", program).variable("f", from).variable("t", today)
				.variable("first", 1001), "VALIDATION");
		refusedWith(graphQl(analyst()).document(page).variable("p", program).variable("f", from).variable("t", today)
				.variable("first", 4).variable("after", io.fidelis.members.ListConnection.cursor("1999-01-01|")), "VALIDATION");
	}

	@Test
	void onlyStaffWhoReadFiguresMayAndOnlyForTheirPrograms() {
		refusedWith(report(member("dora"), today, today, "DAY", null), "FORBIDDEN");
		refusedWith(report(pos(), today, today, "DAY", null), "FORBIDDEN");
		refusedWith(report(token("staff", "roles", "support"), today, today, "DAY", null), "FORBIDDEN");
		refusedWith(report(token("staff", "roles", "analyst", "programs", "some-other"), today, today, "DAY", null),
				"FORBIDDEN");
		report(token("staff", "roles", "analyst", "programs", program), today, today, "DAY", null).execute()
				.path("programReport.programId").entity(String.class).isEqualTo(program);
		refusedWith(graphQl(analyst()).document("""
				mutation($p: ID!) { setReportSettings(input: {programId: $p, costPerPoint: "1", currency: "EUR"}) {
				  settings { currency } } }""").variable("p", program), "FORBIDDEN");
		refusedWith(graphQl(analyst()).document("mutation($p: ID!) { rebuildReports(input: {programId: $p}) { days } }")
				.variable("p", program), "FORBIDDEN");

		http().get().uri("/reports/{p}/figures.csv?from={d}&to={d}", program, today, today).exchange().expectStatus()
				.isUnauthorized();
		http().get().uri("/reports/{p}/figures.csv?from={d}&to={d}", program, today, today)
				.header("Authorization", "Bearer " + member("dora")).exchange().expectStatus().isForbidden();
	}

	@Test
	void questionsThatCannotBeAnsweredGetClearErrors() {
		refusedWith(report(analyst(), "2026-03-02", "2026-03-01", "DAY", null), "VALIDATION");
		refusedWith(report(analyst(), "2019-01-01", "2026-01-01", "DAY", null), "VALIDATION");
		refusedWith(report(analyst(), "last week", today, "DAY", null), "VALIDATION");
		refusedWith(report(analyst(), today, today, "FORTNIGHT", null), "VALIDATION");
		refusedWith(graphQl(analyst()).document(REPORT).variable("p", "no-such-program").variable("from", today)
				.variable("to", today), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setReportSettings(input: {programId: $p, costPerPoint: "a lot", currency: "EUR"}) {
				  settings { currency } } }""").variable("p", program), "VALIDATION");

		String answer = http().get().uri("/reports/{p}/figures.csv?from=2026-03-02&to=2026-03-01&groupBy=DAY", program)
				.header("Authorization", "Bearer " + analyst()).exchange().expectStatus().isBadRequest()
				.expectBody(String.class).returnResult().getResponseBody();
		assertThat(answer).contains("before it starts");
		http().get().uri("/reports/{p}/figures.csv?from={d}&to={d}&groupBy=FORTNIGHT", program, today, today)
				.header("Authorization", "Bearer " + analyst()).exchange().expectStatus().isBadRequest();
		http().get().uri("/reports/no-such-program/figures.csv?from={d}&to={d}", today, today)
				.header("Authorization", "Bearer " + analyst()).exchange().expectStatus().isNotFound();
	}
}
