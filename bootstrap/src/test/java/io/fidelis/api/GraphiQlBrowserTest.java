package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GraphiQL as a newcomer meets it, in a real headless Chromium that can reach nothing but this
 * machine: the page loads without a CDN, its bar fetches a development token and puts it in the
 * headers, a query runs with it, and the docs explorer reads the schema by introspection.
 * Screenshots are kept under {@code target/graphiql}.
 */
class GraphiQlBrowserTest extends ApiTest {

	/** Every code editor's text on the page (GraphiQL 2 edits with CodeMirror 5). */
	private static final String EDITORS = "[...document.querySelectorAll('.CodeMirror')].map(e => e.CodeMirror.getValue()).join('\\n')";
	private static final String RESULT = "(document.querySelector('.result-window .CodeMirror') || {CodeMirror: {getValue: () => ''}}).CodeMirror.getValue()";

	@BeforeEach
	void chromium() {
		Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.BINARY), "No Chromium at " + HeadlessChromium.BINARY
				+ ": install Debian's chromium package (.ci/run does) to try GraphiQL in a browser");
	}

	@Test
	void aNewcomerGetsATokenWithTheButtonAndRunsMeOffline() throws Exception {
		String program = program("giql-" + key().substring(0, 8));
		String subject = "giql-" + key().substring(0, 8);
		graphQl(member(subject)).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute();
		String memberId = graphQl(member(subject)).document("query($p: ID!) { me(programId: $p) { id } }")
				.variable("p", program).execute().path("me.id").entity(String.class).get();
		String query = "{ me(programId: \"" + program + "\") { id name } }";

		try (HeadlessChromium browser = new HeadlessChromium(1280, 900)) {
			// with the path: Spring's redirect that adds a missing one encodes the other parameters a second time
			browser.open("http://127.0.0.1:" + port + "/graphiql?path=/graphql&query="
					+ URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20"));
			await("GraphiQL rendered").atMost(Duration.ofSeconds(30))
					.until(() -> browser.evaluate("!!document.querySelector('.graphiql-execute-button')").asBoolean());
			assertThat(browser.evaluate(EDITORS).asString()).contains(query).doesNotContain("Authorization");

			browser.evaluate("document.getElementById('caller').value = 'member';"
					+ " document.getElementById('subject').value = '" + subject + "';"
					+ " document.getElementById('dev-token').click(); true");
			await("the token in the headers").atMost(Duration.ofSeconds(30))
					.until(() -> browser.evaluate(EDITORS).asString().contains("\"Authorization\": \"Bearer ey"));
			assertThat(browser.evaluate("document.getElementById('token-status').dataset.state").asString()).isEqualTo("ready");

			browser.evaluate("document.querySelector('.graphiql-execute-button').click(); true");
			await("the answer in the result pane").atMost(Duration.ofSeconds(30))
					.until(() -> browser.evaluate(RESULT).asString().contains(memberId));
			assertThat(browser.evaluate(RESULT).asString()).contains("\"name\": \"Alice Martin\"").doesNotContain("errors");
			browser.screenshot(Path.of("target", "graphiql", "me.png"));

			assertThat(browser.requested()).as("every request stays on this machine").isNotEmpty()
					.allSatisfy(url -> assertThat(url).matches("(http://127\\.0\\.0\\.1:" + port + "/|data:|blob:).*"));
		}
	}

	@Test
	void theDocsExplorerListsTheSchemasTypes() throws Exception {
		try (HeadlessChromium browser = new HeadlessChromium(1280, 900)) {
			// no path: Spring's handler redirects to add it
			browser.open("http://127.0.0.1:" + port + "/graphiql");
			await("GraphiQL rendered").atMost(Duration.ofSeconds(30))
					.until(() -> browser.evaluate("!!document.querySelector('.graphiql-execute-button')").asBoolean());
			await("the docs button").atMost(Duration.ofSeconds(30)).until(() -> browser
					.evaluate("!!document.querySelector('.graphiql-sidebar button[aria-label*=\"Documentation Explorer\"]')")
					.asBoolean());
			browser.evaluate(
					"document.querySelector('.graphiql-sidebar button[aria-label*=\"Documentation Explorer\"]').click(); true");
			await("the schema's types listed").atMost(Duration.ofSeconds(30)).until(() -> browser
					.evaluate("(document.querySelector('.graphiql-doc-explorer') || {innerText: ''}).innerText").asString()
					.contains("All Schema Types"));
			String docs = browser.evaluate("document.querySelector('.graphiql-doc-explorer').innerText").asString();
			assertThat(docs).contains("query: Query", "mutation: Mutation", "subscription: Subscription");
			assertThat(docs.lines().map(String::strip)).contains("Member", "PointsAccount", "LoyaltyCard");
			browser.screenshot(Path.of("target", "graphiql", "docs.png"));
		}
	}

	@Test
	void theDevelopmentHomeLinksWhatANewcomerNeeds() {
		String page = http().get().uri("/").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
				.getResponseBody();
		assertThat(page).contains("href=\"/graphiql\"", "href=\"/graphql/schema\"", "href=\"/dashboard/\"",
				"href=\"/actuator/health\"");
		assertThat(http().get().uri("/graphql/schema").exchange().expectStatus().isOk().expectBody(String.class)
				.returnResult().getResponseBody()).contains("type Member", "type Query");
	}
}
