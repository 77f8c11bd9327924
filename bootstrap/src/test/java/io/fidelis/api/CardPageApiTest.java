package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import io.fidelis.cards.CardPageLinks;
import io.fidelis.members.MemberId;

/**
 * The member's card page as a program sends it: staff or the member get a signed link, the page
 * shows the card with its barcode, figures and wallet buttons on a phone, and a link that was
 * changed, moved to another member or expired shows nothing of anyone's card.
 */
class CardPageApiTest extends ApiTest {

	static final String LINK = "query($m: ID!) { cardPageLink(memberId: $m) { url expiresAt } }";

	@Autowired
	CardPageLinks links;

	/** A member who enrolled themselves in {@code program} and earned 1,250 points, once the card shows them. */
	String[] memberWithPoints(String program) {
		program(program);
		String subject = "page-" + key();
		String member = graphQl(member(subject)).document(ENROLL)
				.variable("input", enrollment(program, subject + "@example.com", key())).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		graphQl(pos()).document(PointsApiTest.EARN).variable("input", Map.of("memberId", member, "points", 1250,
				"transactionId", "t-" + key(), "idempotencyKey", key(), "source", Map.of("channel", "IN_STORE"))).execute()
				.path("earnPoints.entry.availableAfter").hasValue();
		await().atMost(Duration.ofSeconds(10)).until(() -> graphQl(staffAdmin())
				.document("query($m: ID!) { memberCards(memberId: $m) { balance } }").variable("m", member).execute()
				.path("memberCards[0].balance").entity(Long.class).get() == 1250L);
		return new String[] { member, subject };
	}

	String link(String token, String member) {
		return graphQl(token).document(LINK).variable("m", member).execute().path("cardPageLink.url").entity(String.class).get();
	}

	/** The link names Fidelis' public URL; the test reaches the same path on its own port. */
	static String local(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	EntityExchangeResult<String> open(String url, String language) {
		return http().get().uri(local(url)).header("Accept-Language", language).exchange().expectBody(String.class)
				.returnResult();
	}

	@Test
	void staff_and_the_member_get_a_link_that_opens_the_card_with_both_wallet_buttons() {
		String[] m = memberWithPoints("page-" + key().substring(0, 8));
		String member = m[0];

		var answer = graphQl(staffAdmin()).document(LINK).variable("m", member).execute();
		String url = answer.path("cardPageLink.url").entity(String.class).get();
		Instant expires = Instant.parse(answer.path("cardPageLink.expiresAt").entity(String.class).get());
		assertThat(url).startsWith("http://localhost:8080/cards/page/" + member + "?expires=" + expires.getEpochSecond()
				+ "&signature=");
		assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
		assertThat(link(member(m[1]), member)).as("the member's own").startsWith("http://localhost:8080/cards/page/" + member);

		EntityExchangeResult<String> page = open(url, "en-GB,en;q=0.9");
		assertThat(page.getStatus().value()).isEqualTo(200);
		assertThat(page.getResponseHeaders().getContentType().toString()).isEqualTo("text/html;charset=UTF-8");
		assertThat(page.getResponseHeaders().getCacheControl()).isEqualTo("no-store");
		assertThat(page.getResponseHeaders().getFirst("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.getResponseHeaders().getFirst("Content-Security-Policy")).contains("default-src 'none'");
		String html = page.getResponseBody();
		assertThat(html).contains("Acme Rewards", "id=\"balance\">1,250<", "id=\"card-number\">", "<svg",
				"Add to Apple Wallet", "Add to Google Wallet", "https://pay.google.com/gp/v/save/");
		String pass = html.replaceAll("(?s).*id=\"apple\" href=\"([^\"]+)\".*", "$1").replace("&amp;", "&");
		http().get().uri(local(pass)).exchange().expectStatus().isOk().expectHeader()
				.contentType("application/vnd.apple.pkpass");

		assertThat(open(url, "fr-FR,fr;q=0.9").getResponseBody()).contains("<html lang=\"fr\">", "Ajouter à Apple Wallet");
		assertThat(open(url + "&lang=fr", "en").getResponseBody()).contains("Votre carte de fidélité");
	}

	@Test
	void a_changed_moved_or_expired_link_shows_no_card() {
		String member = memberWithPoints("page-" + key().substring(0, 8))[0];
		String other = memberWithPoints("page-" + key().substring(0, 8))[0];
		String url = link(staffAdmin(), member);

		String tampered = url.substring(0, url.length() - 2) + (url.endsWith("AA") ? "BB" : "AA");
		String moved = url.replace("/cards/page/" + member, "/cards/page/" + other);
		String longer = url.replaceAll("expires=(\\d+)", "expires=" + Instant.now().plus(Duration.ofDays(365)).getEpochSecond());
		String expired = links.linkFor(new MemberId(member), Instant.now().minus(Duration.ofDays(31))).url();
		String unsigned = url.substring(0, url.indexOf('?'));
		for (String bad : new String[] { tampered, moved, longer, expired, unsigned }) {
			EntityExchangeResult<String> page = open(bad, "en");
			assertThat(page.getStatus().value()).as(bad).isEqualTo(403);
			assertThat(page.getResponseBody()).contains("This link is not valid or has expired").doesNotContain("id=\"card-number\"",
					"id=\"balance\"", "<svg");
		}
		assertThat(open(expired, "fr").getResponseBody()).contains("a expiré. Demandez-en un nouveau.");
		// a pass download link does not open a page, nor the other way round
		assertThat(http().get().uri(local(url).replace("/cards/page/", "/cards/passes/") .replace("?", ".pkpass?"))
				.exchange().returnResult(String.class).getStatus().value()).isEqualTo(403);
		String signedForNobody = links.linkFor(new MemberId("m_nobody"), Instant.now()).url();
		assertThat(open(signedForNobody, "en").getStatus().value()).isEqualTo(404);
	}

	@Test
	void only_the_member_and_staff_of_the_program_get_a_link() {
		String[] m = memberWithPoints("page-" + key().substring(0, 8));
		refusedWith(graphQl(pos()).document(LINK).variable("m", m[0]), "FORBIDDEN");
		refusedWith(graphQl(member("someone-else-" + key())).document(LINK).variable("m", m[0]), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "support", "programs", "elsewhere")).document(LINK).variable("m", m[0]),
				"FORBIDDEN");
		refusedWith(graphQl(null).document(LINK).variable("m", m[0]), "UNAUTHENTICATED");
		refusedWith(graphQl(staffAdmin()).document(LINK).variable("m", "m_nobody"), "NOT_FOUND");
	}

	@Test
	void a_suspended_members_page_has_nothing_to_scan_or_add() {
		String member = memberWithPoints("page-" + key().substring(0, 8))[0];
		String url = link(staffAdmin(), member);
		graphQl(staffAdmin()).document("""
				mutation($m: ID!) { changeMemberStatus(input: {memberId: $m, status: SUSPENDED, reason: "fraud check"}) {
				  member { status } } }""").variable("m", member).execute().path("changeMemberStatus.member.status")
				.entity(String.class).isEqualTo("SUSPENDED");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(open(url, "en").getResponseBody())
				.contains("This card is on hold").doesNotContain("<svg", "id=\"apple\"", "id=\"google\""));
	}

	@Test
	void on_a_phone_the_card_fits_the_screen_and_needs_nothing_from_the_internet() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.BINARY), "No Chromium at " + HeadlessChromium.BINARY
				+ ": install Debian's chromium package (.ci/run does) to see the card page in a browser");
		String member = memberWithPoints("page-" + key().substring(0, 8))[0];
		String url = "http://127.0.0.1:" + port + local(link(staffAdmin(), member));

		try (HeadlessChromium browser = new HeadlessChromium(390, 844)) {
			browser.phone(390, 844);
			browser.open(url);
			await("the card page").atMost(Duration.ofSeconds(30)).until(() -> browser
					.evaluate("document.readyState === 'complete' && !!document.getElementById('card-number')").asBoolean());
			String text = browser.evaluate("document.body.innerText").asString();
			assertThat(text).contains("Your loyalty card", "1,250", "Add to Apple Wallet", "Add to Google Wallet");
			assertThat(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth").asBoolean())
					.as("no sideways scrolling on a 390-pixel screen").isTrue();
			assertThat(browser.evaluate("window.innerWidth").asInt()).isEqualTo(390);
			assertThat(browser.evaluate("document.getElementById('apple').getBoundingClientRect().height >= 44"
					+ " && document.getElementById('google').getBoundingClientRect().width >= 300").asBoolean())
					.as("buttons a thumb can press").isTrue();
			assertThat(browser.evaluate("(() => { const r = document.querySelector('.barcode svg').getBoundingClientRect();"
					+ " return r.width > 150 && r.height > 150; })()").asBoolean()).as("a barcode a till can scan").isTrue();
			assertThat(browser.evaluate("document.querySelector('header img').naturalWidth > 0").asBoolean())
					.as("the program's logo loaded").isTrue();
			assertThat(browser.requested()).allSatisfy(u -> assertThat(u).startsWith("http://127.0.0.1:" + port + "/"));
			Path shot = Path.of("target", "card-page", "phone.png");
			browser.screenshot(shot);
			assertThat(Files.size(shot)).isGreaterThan(10_000);
		}
	}
}
