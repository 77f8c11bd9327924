package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import io.fidelis.wallet.ApnsMock;
import io.fidelis.wallet.GoogleWalletStub;
import io.fidelis.wallet.WalletFixtures;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cards through the API, with wallet certificates and keys loaded from configured files, pushes
 * going to pushy's mock APNs over HTTP/2 and TLS, and Google's Wallet API stood in for on loopback.
 */
class CardsApiTest extends ApiTest {

	static final WalletFixtures fixtures = new WalletFixtures();
	static final ApnsMock apns = new ApnsMock(fixtures);
	static final GoogleWalletStub google = new GoogleWalletStub(fixtures.googlePublicKey(), WalletFixtures.SERVICE_ACCOUNT);
	static final String ISSUER = "3388000000012345678";
	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void wallets(DynamicPropertyRegistry registry) {
		fixtures.properties(apns, google).forEach((k, v) -> registry.add(k, () -> v));
		registry.add("fidelis.cards.delivery-interval", () -> "PT0.1S");
		registry.add("fidelis.cards.rollout-page", () -> "2"); // so that a design's rollout here takes several steps
	}

	@AfterAll
	static void stop() {
		apns.close();
		google.close();
	}

	static final String CARDS = """
			query($id: ID!) { memberCards(memberId: $id) { serialNumber memberId programId cardNumber status statusReason
			  balance pendingPoints expiringSoon tier updatedAt appleWalletUrl googleWalletUrl } }""";

	/** A program whose cards start with 4242, and a member who enrolled themselves (so they may act as themselves). */
	String[] enrolledMember(String program, String subject) {
		graphQl(staffAdmin()).document("""
				mutation($id: ID!) { defineProgram(input: {id: $id, name: "Acme Rewards", currencies: ["EUR"],
				  regions: ["FR"], timeZone: "Europe/Paris", cardPrefix: "4242"}) { program { id cardPrefix } } }""")
				.variable("id", program).execute().path("defineProgram.program.cardPrefix").entity(String.class)
				.isEqualTo("4242");
		String id = graphQl(member(subject)).document(ENROLL)
				.variable("input", enrollment(program, subject + "@example.com", key())).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		return new String[] { program, id };
	}

	Map<String, Object> card(String token, String memberId) {
		return graphQl(token).document(CARDS).variable("id", memberId).execute().path("memberCards[0]")
				.entity(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
	}

	void earn(String memberId, String amount) {
		graphQl(pos()).document("""
				mutation($input: EarnPointsInput!) { earnPoints(input: $input) { entry { availableAfter } } }""")
				.variable("input", Map.of("memberId", memberId, "amount", amount, "currency", "EUR", "source",
						Map.of("channel", "IN_STORE", "region", "FR", "store", "paris-01"), "transactionId", key(),
						"idempotencyKey", key()))
				.execute().path("earnPoints.entry.availableAfter").hasValue();
	}

	/** The link Fidelis gives out names its public URL; the test reaches the same path on its own port. */
	String local(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	byte[] download(String url) {
		return http().get().uri(URI.create("http://localhost:" + port + local(url))).exchange().expectStatus().isOk()
				.expectHeader().contentType("application/vnd.apple.pkpass").expectBody(byte[].class).returnResult()
				.getResponseBody();
	}

	/** The top-level keys of Apple's pass.json reference (PassKit, "Pass"). */
	static final java.util.Set<String> APPLE_PASS_KEYS = java.util.Set.of("description", "formatVersion",
			"organizationName", "passTypeIdentifier", "serialNumber", "teamIdentifier", "appLaunchURL",
			"associatedStoreIdentifiers", "userInfo", "expirationDate", "voided", "beacons", "locations", "maxDistance",
			"relevantDate", "relevantDates", "boardingPass", "coupon", "eventTicket", "generic", "storeCard", "barcode",
			"barcodes", "backgroundColor", "foregroundColor", "groupingIdentifier", "labelColor", "logoText",
			"suppressStripShine", "authenticationToken", "webServiceURL", "nfc", "sharingProhibited", "semantics",
			"preferredStyleSchemes");

	static JsonNode passJson(byte[] pkpass) throws Exception {
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(pkpass))) {
			for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
				if (entry.getName().equals("pass.json")) {
					return json.readTree(zip.readAllBytes());
				}
			}
		}
		throw new AssertionError("no pass.json");
	}

	static boolean luhn(String number) {
		int sum = 0;
		for (int i = 0; i < number.length(); i++) {
			int d = number.charAt(number.length() - 1 - i) - '0';
			if (i % 2 == 1) {
				d = d * 2 > 9 ? d * 2 - 9 : d * 2;
			}
			sum += d;
		}
		return sum % 10 == 0;
	}

	/** The member adds their card to Apple Wallet: the phone's authorization for the PassKit web service. */
	String addedToWallet(String subject, String memberId) throws Exception {
		JsonNode added = passJson(download((String) card(member(subject), memberId).get("appleWalletUrl")));
		return "ApplePass " + added.get("authenticationToken").asString();
	}

	WebTestClient.RequestHeadersSpec<?> passkit(String method, String path, String authorization, Object body) {
		var request = http().method(org.springframework.http.HttpMethod.valueOf(method)).uri("/passkit/v1" + path);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (body != null) {
			return request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		}
		return request;
	}

	@Test
	void a_member_gets_their_card_with_an_apple_download_and_a_google_save_link() throws Exception {
		String[] p = enrolledMember("cards-links", "carla");
		Map<String, Object> card = card(member("carla"), p[1]);
		String number = (String) card.get("cardNumber");
		assertThat(number).startsWith("4242").hasSize(16).matches(n -> luhn(n), "Luhn-valid");
		assertThat(card).containsEntry("status", "ACTIVE").containsEntry("programId", p[0]);
		assertThat((String) card.get("appleWalletUrl")).startsWith("https://loyalty.example.com/cards/passes/");

		JsonNode pass = passJson(download((String) card.get("appleWalletUrl")));
		assertThat(pass.get("serialNumber").asString()).isEqualTo(card.get("serialNumber"));
		assertThat(pass.get("barcodes").get(0).get("message").asString()).isEqualTo(number);
		assertThat(pass.get("webServiceURL").asString()).isEqualTo("https://loyalty.example.com/passkit");
		assertThat(pass.get("passTypeIdentifier").asString()).isEqualTo(WalletFixtures.PASS_TYPE);
		// only keys of Apple's pass.json reference (jpasskit would add PassWallet's associatedApps)
		assertThat(pass.propertyNames()).isSubsetOf(APPLE_PASS_KEYS);
		// no design set: the program's name, not its id
		assertThat(pass.get("organizationName").asString()).isEqualTo("Acme Rewards");
		assertThat(pass.get("logoText").asString()).isEqualTo("Acme Rewards");

		String save = (String) card.get("googleWalletUrl");
		SignedJWT jwt = SignedJWT.parse(save.substring(save.lastIndexOf('/') + 1));
		assertThat(jwt.verify(new RSASSAVerifier(fixtures.googlePublicKey()))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("google");
		assertThat(jwt.getJWTClaimsSet().getClaim("typ")).isEqualTo("savetowallet");
		assertThat(jwt.getJWTClaimsSet().getStringListClaim("origins")).containsExactly("https://shop.example.com");
		assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("payload").toString()).contains(ISSUER + "." + card.get("serialNumber"));

		// the same cards hang off the Member type
		graphQl(member("carla")).document("query($id: ID!) { member(id: $id) { cards { serialNumber } } }")
				.variable("id", p[1]).execute().path("member.cards[0].serialNumber").entity(String.class)
				.isEqualTo((String) card.get("serialNumber"));
	}

	/** Issue 15: a page of members reads their cards in one batch; each member still gets their own. */
	@Test
	void a_page_of_members_answers_each_members_own_card_and_staff_of_another_program_are_refused() {
		Map<String, String> serials = new java.util.HashMap<>();
		for (String subject : List.of("pagina", "paginb", "paginc")) {
			String[] p = enrolledMember("cards-page", subject);
			serials.put(p[1], (String) card(member(subject), p[1]).get("serialNumber"));
		}
		String page = """
				query { searchMembers(programId: "cards-page", namePrefix: "Alice", first: 10) {
				  edges { node { id cards { serialNumber memberId } } } } }""";
		List<Map<String, Object>> nodes = graphQl(token("staff", "roles", "support", "programs", "cards-page")).document(page)
				.execute().path("searchMembers.edges[*].node")
				.entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
		assertThat(nodes).hasSize(3).allSatisfy(node -> {
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> cards = (List<Map<String, Object>>) node.get("cards");
			assertThat(cards).singleElement().satisfies(card -> {
				assertThat(card).containsEntry("memberId", node.get("id"));
				assertThat(card).containsEntry("serialNumber", serials.get((String) node.get("id")));
			});
		});
		String one = "query($id: ID!) { member(id: $id) { cards { serialNumber } } }";
		refusedWith(graphQl(token("staff", "roles", "support", "programs", "elsewhere")).document(one)
				.variable("id", nodes.get(0).get("id")), "FORBIDDEN");
	}

	@Test
	void a_download_link_works_only_as_signed_and_only_for_its_card() {
		String[] p = enrolledMember("cards-download", "dora");
		String url = local((String) card(member("dora"), p[1]).get("appleWalletUrl"));
		String otherUrl = local((String) card(member("eliot"), enrolledMember("cards-download", "eliot")[1]).get("appleWalletUrl"));
		String signature = url.substring(url.indexOf("&signature=") + 11);
		String otherSerialPath = otherUrl.substring(0, otherUrl.indexOf("&signature="));
		http().get().uri(otherSerialPath + "&signature=" + signature).exchange().expectStatus().isForbidden();
		http().get().uri(url.replaceFirst("expires=\\d+", "expires=" + (Instant.now().getEpochSecond() + 86_400)))
				.exchange().expectStatus().isForbidden();
		http().get().uri(url.substring(0, url.indexOf('?'))).exchange().expectStatus().isForbidden();
		http().get().uri(url.replace(signature, signature.substring(1) + "A")).exchange().expectStatus().isForbidden()
				.expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("not valid or has expired"));
	}

	@Test
	void cards_are_for_their_member_and_staff_only() {
		String[] p = enrolledMember("cards-who", "frida");
		enrolledMember("cards-who", "gus");
		refusedWith(graphQl(member("gus")).document(CARDS).variable("id", p[1]), "FORBIDDEN");
		refusedWith(graphQl(pos()).document(CARDS).variable("id", p[1]), "FORBIDDEN");
		refusedWith(graphQl(null).document(CARDS).variable("id", p[1]), "UNAUTHENTICATED");
		refusedWith(graphQl(token("staff", "roles", "support", "programs", "some-other")).document(CARDS)
				.variable("id", p[1]), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(CARDS).variable("id", "m_nobody"), "NOT_FOUND");
		assertThat(card(token("staff", "roles", "support", "programs", p[0]), p[1])).containsEntry("memberId", p[1]);
	}

	@Test
	void the_passkit_web_service_answers_with_apple_s_status_codes() throws Exception {
		String[] p = enrolledMember("cards-passkit", "hugo");
		JsonNode pass = passJson(download((String) card(member("hugo"), p[1]).get("appleWalletUrl")));
		String serial = pass.get("serialNumber").asString();
		String auth = "ApplePass " + pass.get("authenticationToken").asString();
		String type = WalletFixtures.PASS_TYPE;
		String registration = "/devices/device-hugo-1/registrations/" + type + "/" + serial;
		Map<String, String> push = Map.of("pushToken", "0a1b2c3d4e5f60718293a4b5c6d7e8f9");

		passkit("POST", registration, null, push).exchange().expectStatus().isUnauthorized();
		passkit("POST", registration, "ApplePass wrong-token-0123456789", push).exchange().expectStatus().isUnauthorized();
		passkit("POST", registration, "Bearer " + pass.get("authenticationToken").asString(), push).exchange()
				.expectStatus().isUnauthorized();
		passkit("POST", "/devices/device-hugo-1/registrations/" + type + "/c000000000000000000000000", auth, push)
				.exchange().expectStatus().isUnauthorized();
		passkit("POST", "/devices/device-hugo-1/registrations/pass.com.other/" + serial, auth, push).exchange()
				.expectStatus().isNotFound();
		passkit("POST", registration, auth, Map.of()).exchange().expectStatus().isBadRequest();
		passkit("POST", registration, auth, push).exchange().expectStatus().isCreated();
		passkit("POST", registration, auth, push).exchange().expectStatus().isOk();

		String serials = "/devices/device-hugo-1/registrations/" + type;
		JsonNode updated = json.readTree(passkit("GET", serials, null, null).exchange().expectStatus().isOk()
				.expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(updated.get("serialNumbers").get(0).asString()).isEqualTo(serial);
		String tag = updated.get("lastUpdated").asString();
		passkit("GET", serials + "?passesUpdatedSince=" + tag, null, null).exchange().expectStatus().isNoContent();
		passkit("GET", serials + "?passesUpdatedSince=yesterday", null, null).exchange().expectStatus().isBadRequest();
		passkit("GET", "/devices/device-unknown/registrations/" + type, null, null).exchange().expectStatus().isNoContent();
		passkit("GET", "/devices/device-hugo-1/registrations/pass.com.other", null, null).exchange().expectStatus()
				.isNotFound();

		String latest = "/passes/" + type + "/" + serial;
		passkit("GET", latest, null, null).exchange().expectStatus().isUnauthorized();
		passkit("GET", latest, "ApplePass " + "x".repeat(32), null).exchange().expectStatus().isUnauthorized()
				.expectBody(byte[].class).value(body -> assertThat(new String(body)).doesNotContain("PK"));
		String lastModified = passkit("GET", latest, auth, null).exchange().expectStatus().isOk().expectHeader()
				.contentType("application/vnd.apple.pkpass").returnResult(byte[].class).getResponseHeaders()
				.getFirst("Last-Modified");
		assertThat(lastModified).isNotNull();
		passkit("GET", latest, auth, null).header("If-Modified-Since", lastModified).exchange().expectStatus()
				.isNotModified();
		// a made-up If-Modified-Since never hides the pass: garbage is ignored, and so is a date from the future
		passkit("GET", latest, auth, null).header("If-Modified-Since", "not a date").exchange().expectStatus().isOk();
		String future = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plus(Duration.ofDays(365)).atZone(ZoneOffset.UTC));
		passkit("GET", latest, auth, null).header("If-Modified-Since", future).exchange().expectStatus().isOk();
		passkit("GET", latest, auth, null).header("If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT").exchange()
				.expectStatus().isOk();

		passkit("POST", "/log", null, Map.of("logs", List.of("Web service error for pass.io.fidelis.test: 401\nforged")))
				.exchange().expectStatus().isOk();
		// the log is anonymous: a body past 64 KiB is refused unread, and garbage is refused
		passkit("POST", "/log", null, Map.of("logs", List.of("x".repeat(70 * 1024)))).exchange().expectStatus()
				.isEqualTo(413);
		passkit("POST", "/log", null, "not json").exchange().expectStatus().isBadRequest();

		passkit("DELETE", registration, "ApplePass wrong-token-0123456789", null).exchange().expectStatus().isUnauthorized();
		passkit("DELETE", registration, auth, null).exchange().expectStatus().isOk();
		passkit("DELETE", registration, auth, null).exchange().expectStatus().isNotFound();
		passkit("GET", serials, null, null).exchange().expectStatus().isNoContent();
	}

	@Test
	void cards_follow_points_apple_gets_a_push_and_google_a_patch_never_an_older_balance() throws Exception {
		String[] p = enrolledMember("cards-follow", "ines");
		Map<String, Object> card = card(member("ines"), p[1]);
		String serial = (String) card.get("serialNumber");
		JsonNode pass = passJson(download((String) card.get("appleWalletUrl")));
		String auth = "ApplePass " + pass.get("authenticationToken").asString();
		String pushToken = "feedface0123456789abcdef0123456789abcdef";
		passkit("POST", "/devices/device-ines/registrations/" + WalletFixtures.PASS_TYPE + "/" + serial, auth,
				Map.of("pushToken", pushToken)).exchange().expectStatus().isCreated();
		String tag = json.readTree(passkit("GET", "/devices/device-ines/registrations/" + WalletFixtures.PASS_TYPE, null, null)
				.exchange().expectBody(byte[].class).returnResult().getResponseBody()).get("lastUpdated").asString();

		// nothing in flight (the registration's push, another test's rollout), so that both counts start together
		await().atMost(Duration.ofSeconds(30)).until(() -> scraped("fidelis_wallet_updates_due") == 0);
		double applePushes = scraped("fidelis_wallet_updates_total", "wallet=\"APPLE\"", "outcome=\"SENT\"");
		int accepted = apns.accepted.size();
		double googleUpdates = scraped("fidelis_wallet_updates_total", "wallet=\"GOOGLE\"", "outcome=\"SENT\"");
		for (int i = 0; i < 8; i++) {
			earn(p[1], "10.00");
		}
		String objectId = ISSUER + "." + serial;
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(apns.accepted).anySatisfy(push -> {
				assertThat(push.token()).isEqualTo(pushToken);
				assertThat(push.topic()).isEqualTo(WalletFixtures.PASS_TYPE);
				assertThat(push.payload()).isEqualTo("{}");
			});
			assertThat(google.objects.get(objectId)).isNotNull();
			assertThat(google.objects.get(objectId).get("loyaltyPoints").toString()).contains("int=80");
		});
		List<Long> sent = google.balancesSent(objectId);
		for (int i = 1; i < sent.size(); i++) {
			assertThat(sent.get(i)).as("balances sent to Google in order: " + sent).isGreaterThanOrEqualTo(sent.get(i - 1));
		}
		assertThat(google.calls).anyMatch(c -> c.method().equals("PATCH") && c.path().endsWith(objectId));
		// counted: every push APNs accepted, and Google's updates
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
				scraped("fidelis_wallet_updates_total", "wallet=\"APPLE\"", "outcome=\"SENT\"") - applePushes)
				.isEqualTo(apns.accepted.size() - accepted));
		assertThat(scraped("fidelis_wallet_updates_total", "wallet=\"GOOGLE\"", "outcome=\"SENT\"")).isGreaterThan(googleUpdates);
		assertThat(http().get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
				.getResponseBody()).contains("fidelis_wallet_updates_due ");

		// the phone asks what changed since its tag, then fetches the pass
		JsonNode changed = json.readTree(passkit("GET", "/devices/device-ines/registrations/" + WalletFixtures.PASS_TYPE
				+ "?passesUpdatedSince=" + tag, null, null).exchange().expectStatus().isOk().expectBody(byte[].class)
				.returnResult().getResponseBody());
		assertThat(changed.get("serialNumbers").get(0).asString()).isEqualTo(serial);
		byte[] latest = passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + serial, auth, null).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(passJson(latest).get("storeCard").get("primaryFields").get(0).get("value").asLong()).isEqualTo(80);
		assertThat(card(member("ines"), p[1])).containsEntry("balance", 80);
	}

	@Test
	void a_lost_card_is_blocked_at_once_and_the_same_account_gets_a_new_number() {
		String[] p = enrolledMember("cards-lost", "jules");
		enrolledMember("cards-lost", "kim");
		earn(p[1], "25.00");
		String old = (String) card(member("jules"), p[1]).get("cardNumber");
		String report = """
				mutation($input: ReportCardInput!) { reportCard(input: $input) { blockedCardNumber replayed
				  member { id cardNumber } } }""";
		Map<String, Object> input = Map.of("memberId", p[1], "cardNumber", old, "reason", "LOST");
		refusedWith(graphQl(member("kim")).document(report).variable("input", input), "FORBIDDEN");
		refusedWith(graphQl(pos()).document(report).variable("input", input), "FORBIDDEN");
		refusedWith(graphQl(member("jules")).document(report).variable("input",
				Map.of("memberId", p[1], "cardNumber", old, "reason", "SWALLOWED")), "VALIDATION");
		refusedWith(graphQl(member("jules")).document(report).variable("input",
				Map.of("memberId", p[1], "cardNumber", "4242424242424242", "reason", "LOST")), // Luhn-valid, not hers
				"NOT_FOUND");

		var answer = graphQl(member("jules")).document(report).variable("input", input).execute();
		String fresh = answer.path("reportCard.member.cardNumber").entity(String.class).get();
		answer.path("reportCard.blockedCardNumber").entity(String.class).isEqualTo(old)
				.path("reportCard.replayed").entity(Boolean.class).isEqualTo(false);
		assertThat(fresh).startsWith("4242").isNotEqualTo(old).matches(n -> luhn(n), "Luhn-valid");
		graphQl(member("jules")).document(report).variable("input", input).execute()
				.path("reportCard.member.cardNumber").entity(String.class).isEqualTo(fresh)
				.path("reportCard.replayed").entity(Boolean.class).isEqualTo(true);

		String lookup = "query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { id points { available } } }";
		refusedWith(graphQl(pos()).document(lookup).variable("p", p[0]).variable("c", old), "CARD_BLOCKED");
		graphQl(pos()).document(lookup).variable("p", p[0]).variable("c", fresh).execute()
				.path("memberByIdentifier.id").entity(String.class).isEqualTo(p[1])
				.path("memberByIdentifier.points.available").entity(Long.class).isEqualTo(25L);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(
				() -> assertThat(card(member("jules"), p[1])).containsEntry("cardNumber", fresh).containsEntry("balance", 25));
	}

	@Test
	void a_stolen_card_gets_a_new_pass_and_the_old_pass_follows_nothing_more() throws Exception {
		String[] p = enrolledMember("cards-stolen", "tess");
		earn(p[1], "25.00");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(card(member("tess"), p[1])).containsEntry("balance", 25));
		Map<String, Object> before = card(member("tess"), p[1]);
		JsonNode oldPass = passJson(download((String) before.get("appleWalletUrl")));
		String oldSerial = oldPass.get("serialNumber").asString();
		String oldAuth = "ApplePass " + oldPass.get("authenticationToken").asString();
		String devices = "/devices/device-tess/registrations/" + WalletFixtures.PASS_TYPE;
		passkit("POST", devices + "/" + oldSerial, oldAuth, Map.of("pushToken", "0a1b2c3d4e5f60718293a4b5c6d7e8f0"))
				.exchange().expectStatus().isCreated();
		String since = json.readTree(passkit("GET", devices, null, null).exchange().expectStatus().isOk()
				.expectBody(byte[].class).returnResult().getResponseBody()).get("lastUpdated").asString();

		String fresh = graphQl(member("tess")).document("""
				mutation($input: ReportCardInput!) { reportCard(input: $input) { member { cardNumber } } }""")
				.variable("input", Map.of("memberId", p[1], "cardNumber", before.get("cardNumber"), "reason", "STOLEN"))
				.execute().path("reportCard.member.cardNumber").entity(String.class).get();

		// the member's card is a new pass: another serial and token, the new number, the same balance
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(card(member("tess"), p[1]))
				.containsEntry("cardNumber", fresh).containsEntry("status", "ACTIVE").containsEntry("balance", 25)
				.doesNotContainEntry("serialNumber", oldSerial));
		Map<String, Object> after = card(member("tess"), p[1]);
		JsonNode newPass = passJson(download((String) after.get("appleWalletUrl")));
		assertThat(newPass.get("authenticationToken").asString()).isNotEqualTo(oldPass.get("authenticationToken").asString());
		assertThat(newPass.get("barcodes").get(0).get("message").asString()).isEqualTo(fresh);

		// the phone with the old pass is told once that it changed, fetches it voided without a barcode, and hears nothing more
		JsonNode told = json.readTree(passkit("GET", devices + "?passesUpdatedSince=" + since, null, null).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(told.get("serialNumbers").get(0).asString()).isEqualTo(oldSerial);
		byte[] voided = passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + oldSerial, oldAuth, null).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(passJson(voided).get("voided").asBoolean()).isTrue();
		assertThat(passJson(voided).path("barcodes").isEmpty()).as("a voided pass carries no barcode").isTrue();
		assertThat(passJson(voided).toString()).doesNotContain(fresh);
		passkit("GET", devices, null, null).exchange().expectStatus().isNoContent();

		// points move on: the new pass follows them, the old one stays as it was
		earn(p[1], "5.00");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(card(member("tess"), p[1])).containsEntry("balance", 30));
		byte[] oldNow = passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + oldSerial, oldAuth, null).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(passJson(oldNow).get("storeCard").get("primaryFields").get(0).get("value").asLong()).isEqualTo(25);
		var listed = graphQl(staffAdmin()).document("query($p: ID!) { programCards(programId: $p, first: 10) { edges { node { serialNumber memberId status replaced } } } }")
				.variable("p", p[0]).execute().path("programCards.edges[*].node")
				.entity(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get();
		assertThat(listed).filteredOn(c -> p[1].equals(c.get("memberId"))).hasSize(2)
				.anySatisfy(c -> assertThat(c).containsEntry("serialNumber", oldSerial).containsEntry("status", "VOIDED")
						.containsEntry("replaced", true))
				.anySatisfy(c -> assertThat(c).containsEntry("status", "ACTIVE").containsEntry("replaced", false));

		// erasing the member reaches the replaced pass too
		graphQl(member("tess")).document("mutation($id: ID!) { eraseMember(input: {memberId: $id}) { member { status } } }")
				.variable("id", p[1]).execute().path("eraseMember.member.status").entity(String.class).isEqualTo("CLOSED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			byte[] erased = passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + oldSerial, oldAuth, null).exchange()
					.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
			assertThat(passJson(erased).toString()).doesNotContain((String) before.get("cardNumber")).doesNotContain("Alice Martin");
		});
	}

	@Test
	void a_revoked_card_is_blocked_at_the_till_stops_updating_and_is_reinstated_with_a_new_pass() throws Exception {
		String[] p = enrolledMember("cards-revoke", "uma");
		String other = enrolledMember("cards-revoke", "vic")[1];
		earn(p[1], "25.00");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(card(member("uma"), p[1])).containsEntry("balance", 25));
		Map<String, Object> revoked = card(member("uma"), p[1]);
		String serial = (String) revoked.get("serialNumber");
		String number = (String) revoked.get("cardNumber");
		graphQl(token("staff", "roles", "support")).document("""
				mutation($s: ID!) { revokeCard(input: {serialNumber: $s, reason: "fraud suspected"}) { card { status } } }""")
				.variable("s", serial).execute().path("revokeCard.card.status").entity(String.class).isEqualTo("REVOKED");

		String lookup = "query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { id } }";
		refusedWith(graphQl(pos()).document(lookup).variable("p", p[0]).variable("c", number), "CARD_BLOCKED");
		refusedWith(graphQl(member("uma")).document("""
				mutation($input: ReportCardInput!) { reportCard(input: $input) { member { cardNumber } } }""")
				.variable("input", Map.of("memberId", p[1], "cardNumber", number, "reason", "LOST")), "CONFLICT");

		// points still move (the account is the member's), the revoked pass no longer shows them
		earn(p[1], "5.00");
		String reinstate = "mutation($s: ID!) { reinstateCard(input: {serialNumber: $s}) { card { serialNumber cardNumber status balance replaced } } }";
		refusedWith(graphQl(member("uma")).document(reinstate).variable("s", serial), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "analyst")).document(reinstate).variable("s", serial), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "support", "programs", "elsewhere")).document(reinstate)
				.variable("s", serial), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(reinstate).variable("s", "c-unknown"), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(reinstate).variable("s", card(member("vic"), other).get("serialNumber")),
				"CONFLICT");

		Map<String, Object> back = graphQl(token("staff", "roles", "support")).document(reinstate).variable("s", serial)
				.execute().path("reinstateCard.card")
				.entity(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
		assertThat(back).containsEntry("status", "ACTIVE").containsEntry("replaced", false);
		assertThat((String) back.get("serialNumber")).isNotEqualTo(serial);
		String fresh = (String) back.get("cardNumber");
		assertThat(fresh).startsWith("4242").isNotEqualTo(number).matches(n -> luhn(n), "Luhn-valid");
		graphQl(staffAdmin()).document(reinstate).variable("s", serial).execute()
				.path("reinstateCard.card.serialNumber").entity(String.class).isEqualTo((String) back.get("serialNumber"));

		graphQl(pos()).document(lookup).variable("p", p[0]).variable("c", fresh).execute().path("memberByIdentifier.id")
				.entity(String.class).isEqualTo(p[1]);
		refusedWith(graphQl(pos()).document(lookup).variable("p", p[0]).variable("c", number), "CARD_BLOCKED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(card(member("uma"), p[1]))
				.containsEntry("cardNumber", fresh).containsEntry("balance", 30));
		var old = graphQl(staffAdmin()).document("query($p: ID!) { programCards(programId: $p, first: 10) { edges { node { serialNumber status replaced balance } } } }")
				.variable("p", p[0]).execute().path("programCards.edges[*].node")
				.entity(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get().stream().filter(c -> serial.equals(c.get("serialNumber"))).findFirst().orElseThrow();
		assertThat(old).containsEntry("status", "REVOKED").containsEntry("replaced", true).containsEntry("balance", 25);
		assertThat(graphQl(staffAdmin()).document("query($p: ID!) { programCards(programId: $p, first: 10) { edges { node { serialNumber appleWalletUrl googleWalletUrl } } } }")
				.variable("p", p[0]).execute().path("programCards.edges[*].node")
				.entity(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get()).filteredOn(c -> serial.equals(c.get("serialNumber"))).singleElement()
				.satisfies(c -> assertThat(c).containsEntry("appleWalletUrl", null).containsEntry("googleWalletUrl", null));
		refusedWith(graphQl(staffAdmin()).document("""
				mutation($s: ID!) { revokeCard(input: {serialNumber: $s, reason: "again"}) { card { status } } }""")
				.variable("s", serial), "CONFLICT");
	}

	@Test
	void printed_card_stock_is_drawn_in_batches_and_activated_at_enrollment() {
		String program = enrolledMember("cards-stock", "lea")[0];
		String issue = """
				mutation($input: IssueCardStockInput!) { issueCardStock(input: $input) { batch { batchId cardNumbers { edges { node } } replayed } } }""";
		Map<String, Object> batch = Map.of("programId", program, "batchId", "print-2026-11", "count", 5);
		List<String> numbers = graphQl(staffAdmin()).document(issue).variable("input", batch).execute()
				.path("issueCardStock.batch.cardNumbers.edges[*].node").entityList(String.class).hasSize(5).get();
		assertThat(numbers).allSatisfy(n -> assertThat(n).startsWith("4242").hasSize(16).matches(x -> luhn(x), "Luhn"))
				.doesNotHaveDuplicates();
		graphQl(staffAdmin()).document(issue).variable("input", batch).execute()
				.path("issueCardStock.batch.cardNumbers.edges[*].node").entityList(String.class).isEqualTo(numbers)
				.path("issueCardStock.batch.replayed").entity(Boolean.class).isEqualTo(true);
		refusedWith(graphQl(staffAdmin()).document(issue).variable("input",
				Map.of("programId", program, "batchId", "print-2026-11", "count", 6)), "CONFLICT");
		// the run again later, its numbers a page at a time in print order
		String run = """
				query($p: ID!, $b: String!, $after: String) { cardStockBatch(programId: $p, batchId: $b) {
				  cardNumbers(first: 2, after: $after) { totalCount edges { node } pageInfo { hasNextPage endCursor } } } }""";
		List<String> paged = new java.util.ArrayList<>();
		String after = null;
		boolean more = true;
		while (more) {
			var page = graphQl(staffAdmin()).document(run).variable("p", program).variable("b", "print-2026-11")
					.variable("after", after).execute();
			page.path("cardStockBatch.cardNumbers.totalCount").entity(Integer.class).isEqualTo(5);
			paged.addAll(page.path("cardStockBatch.cardNumbers.edges[*].node").entityList(String.class).get());
			more = page.path("cardStockBatch.cardNumbers.pageInfo.hasNextPage").entity(Boolean.class).get();
			after = page.path("cardStockBatch.cardNumbers.pageInfo.endCursor").entity(String.class).get();
		}
		assertThat(paged).isEqualTo(numbers);
		refusedWith(graphQl(staffAdmin()).document(run).variable("p", program).variable("b", "never-printed"), "NOT_FOUND");
		refusedWith(graphQl(token("staff", "roles", "admin", "programs", "elsewhere")).document(run).variable("p", program)
				.variable("b", "print-2026-11"), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "operator")).document(run).variable("p", program)
				.variable("b", "print-2026-11"), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(issue).variable("input",
				Map.of("programId", program, "batchId", "b2", "count", 10_001)), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(issue).variable("input",
				Map.of("programId", program, "batchId", "bad batch!", "count", 1)), "VALIDATION");
		refusedWith(graphQl(token("staff", "roles", "operator")).document(issue).variable("input", batch), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(issue).variable("input",
				Map.of("programId", "no-such-program", "batchId", "b3", "count", 1)), "NOT_FOUND");

		Map<String, Object> withCard = new HashMap<>(enrollment(program, "mo@example.com", key()));
		withCard.put("cardNumber", numbers.get(0));
		String enroll = "mutation($input: EnrollMemberInput!) { enrollMember(input: $input) { member { id cardNumber } } }";
		graphQl(pos()).document(enroll).variable("input", withCard).execute().path("enrollMember.member.cardNumber")
				.entity(String.class).isEqualTo(numbers.get(0));
		Map<String, Object> again = new HashMap<>(enrollment(program, "nina@example.com", key()));
		again.put("cardNumber", numbers.get(0));
		refusedWith(graphQl(pos()).document(enroll).variable("input", again), "CONFLICT");
		again.put("cardNumber", "4242000000000000"); // Luhn-valid, never printed
		refusedWith(graphQl(pos()).document(enroll).variable("input", again), "NOT_FOUND");
		again.put("cardNumber", "4242000000000009"); // a wrong check digit
		refusedWith(graphQl(pos()).document(enroll).variable("input", again), "VALIDATION");
		graphQl(pos()).document("query($p: ID!, $c: String!) { memberByIdentifier(programId: $p, cardNumber: $c) { email } }")
				.variable("p", program).variable("c", "4242000000000000").execute().path("memberByIdentifier").valueIsNull();
	}

	@Test
	void a_suspended_member_s_card_is_on_hold_in_both_wallets_until_the_suspension_is_lifted() throws Exception {
		String[] p = enrolledMember("cards-suspend", "ruth");
		String serial = (String) card(member("ruth"), p[1]).get("serialNumber");
		String auth = addedToWallet("ruth", p[1]);
		String status = """
				mutation($id: ID!, $s: MemberStatus!) { changeMemberStatus(input: {memberId: $id, status: $s, reason: "check"}) {
				  member { status } } }""";
		graphQl(staffAdmin()).document(status).variable("id", p[1]).variable("s", "SUSPENDED").execute()
				.path("changeMemberStatus.member.status").entity(String.class).isEqualTo("SUSPENDED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(card(staffAdmin(), p[1])).containsEntry("status", "SUSPENDED");
			assertThat(google.objects.get(ISSUER + "." + serial)).containsEntry("state", "INACTIVE");
		});
		// still the member's card: offered to wallets, and the phone fetches it on hold, not voided
		assertThat(card(member("ruth"), p[1]).get("appleWalletUrl")).isNotNull();
		JsonNode held = passJson(passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + serial, auth, null)
				.exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(held.has("voided") && held.get("voided").asBoolean()).isFalse();
		assertThat(held.get("storeCard").get("headerFields").toString()).contains("suspended");
		assertThat(held.has("barcodes") && !held.get("barcodes").isEmpty()).isFalse();

		graphQl(staffAdmin()).document(status).variable("id", p[1]).variable("s", "ACTIVE").execute()
				.path("changeMemberStatus.member.status").entity(String.class).isEqualTo("ACTIVE");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(card(staffAdmin(), p[1])).containsEntry("status", "ACTIVE");
			assertThat(google.objects.get(ISSUER + "." + serial)).containsEntry("state", "ACTIVE");
		});
		JsonNode lifted = passJson(passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + serial, auth, null)
				.exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(lifted.get("barcodes")).isNotEmpty();
		assertThat(lifted.get("storeCard").get("headerFields").toString()).doesNotContain("suspended");
	}

	static String squarePng(int width, int height) throws Exception {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.awt.Graphics2D g = image.createGraphics();
		g.setColor(new java.awt.Color(0xC8102E));
		g.fillOval(width / 8, height / 8, width * 3 / 4, height * 3 / 4);
		g.dispose();
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", out);
		return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
	}

	@Test
	void a_program_gives_google_its_own_square_logo_and_google_is_pointed_at_the_new_one() throws Exception {
		String program = enrolledMember("cards-glogo", "vic")[0];
		String setDesign = """
				mutation($input: CardDesignInput!) { setCardDesign(input: $input) { design { hasOwnLogo hasOwnGoogleLogo } } }""";
		Map<String, Object> input = new HashMap<>(Map.of("programId", program, "organizationName", "Acme Rewards",
				"description", "Acme loyalty card", "backgroundColor", "#1F3A5F", "foregroundColor", "#FFFFFF",
				"labelColor", "#AABBCC", "barcodeFormat", "QR"));
		graphQl(staffAdmin()).document(setDesign).variable("input", input).execute().path("setCardDesign.design.hasOwnGoogleLogo")
				.entity(Boolean.class).isEqualTo(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> google.classes.containsKey(ISSUER + "." + program));
		String drawn = google.classes.get(ISSUER + "." + program).get("programLogo").toString();

		input.put("googleLogoPng", squarePng(660, 400)); // not square: refused, nothing changes
		refusedWith(graphQl(staffAdmin()).document(setDesign).variable("input", input), "VALIDATION");
		String own = squarePng(660, 660);
		input.put("googleLogoPng", own);
		graphQl(staffAdmin()).document(setDesign).variable("input", input).execute().path("setCardDesign.design.hasOwnGoogleLogo")
				.entity(Boolean.class).isEqualTo(true).path("setCardDesign.design.hasOwnLogo").entity(Boolean.class).isEqualTo(false);

		byte[] served = http().get().uri("/cards/images/" + program + "/google-logo.png").exchange().expectStatus().isOk()
				.expectHeader().contentType("image/png").expectBody(byte[].class).returnResult().getResponseBody();
		assertThat(served).isEqualTo(java.util.Base64.getDecoder().decode(own));
		// a new logo is a new address: Google fetches it rather than keep the one it cached
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
				google.classes.get(ISSUER + "." + program).get("programLogo").toString())
				.contains("/cards/images/" + program + "/google-logo.png?v=").isNotEqualTo(drawn));
	}

	/**
	 * A new design reaches the cards already on phones: Google's class is updated, and every card of
	 * the program (three, walked two at a time) becomes a new version, so a registered phone is
	 * pushed, the changed-serials call names its pass, and the pass is no longer "not modified".
	 */
	@Test
	void a_new_design_reaches_every_card_already_on_phones() throws Exception {
		String[] p = enrolledMember("cards-design", "sol");
		List<String> members = List.of(p[1], enrolledMember("cards-design", "tom")[1], enrolledMember("cards-design", "uma")[1]);
		Map<String, Object> card = card(member("sol"), p[1]);
		String serial = (String) card.get("serialNumber");
		JsonNode pass = passJson(download((String) card.get("appleWalletUrl")));
		String auth = "ApplePass " + pass.get("authenticationToken").asString();
		String pushToken = "c0ffee0123456789abcdef0123456789abcdef01";
		String registrations = "/devices/device-sol/registrations/" + WalletFixtures.PASS_TYPE;
		passkit("POST", registrations + "/" + serial, auth, Map.of("pushToken", pushToken)).exchange().expectStatus()
				.isCreated();
		String latest = "/passes/" + WalletFixtures.PASS_TYPE + "/" + serial;
		// the phone holds the pass as it is now, and its tag
		await().atMost(Duration.ofSeconds(10)).until(() -> apns.accepted.stream().anyMatch(push -> push.token().equals(pushToken)));
		String lastModified = passkit("GET", latest, auth, null).exchange().expectStatus().isOk().returnResult(byte[].class)
				.getResponseHeaders().getFirst("Last-Modified");
		String tag = json.readTree(passkit("GET", registrations, null, null).exchange().expectBody(byte[].class)
				.returnResult().getResponseBody()).get("lastUpdated").asString();
		passkit("GET", latest, auth, null).header("If-Modified-Since", lastModified).exchange().expectStatus().isNotModified();
		Map<String, Object> updatedBefore = new HashMap<>();
		members.forEach(m -> updatedBefore.put(m, card(staffAdmin(), m).get("updatedAt")));
		long pushesBefore = apns.accepted.stream().filter(push -> push.token().equals(pushToken)).count();

		// a store with its place: the card comes up near it
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { defineStore(input: {programId: $p, storeId: "paris-opera", name: "Acme Paris Opéra",
				  region: "FR", latitude: 48.872, longitude: 2.3316}) { store { latitude longitude } } }""").variable("p", p[0]).execute()
				.path("defineStore.store.latitude").entity(Double.class).isEqualTo(48.872);
		refusedWith(graphQl(staffAdmin()).document("""
				mutation($p: ID!) { defineStore(input: {programId: $p, storeId: "nowhere", name: "Nowhere",
				  latitude: 95.0, longitude: 2.0}) { store { storeId } } }""").variable("p", p[0]), "VALIDATION");
		String setDesign = """
				mutation($input: CardDesignInput!) { setCardDesign(input: $input) { design { backgroundColor
				  back { terms website phone about sharingProhibited appLaunchUrl appStoreIds }
				  languages { language words { key text } } } } }""";
		Map<String, Object> input = new HashMap<>(Map.of("programId", p[0], "organizationName", "Acme Rewards", "description",
				"Acme loyalty card", "backgroundColor", "#0A7E3C", "foregroundColor", "#FFFFFF", "labelColor", "#AABBCC",
				"barcodeFormat", "QR"));
		// a back a wallet cannot show is refused, and changes nothing
		input.put("back", Map.of("website", "http://acme.example"));
		refusedWith(graphQl(staffAdmin()).document(setDesign).variable("input", input), "VALIDATION");
		input.put("back", Map.of("appLaunchUrl", "acme://card"));
		refusedWith(graphQl(staffAdmin()).document(setDesign).variable("input", input), "VALIDATION");
		input.remove("back");
		input.put("languages", List.of(Map.of("language", "German", "words", List.of())));
		refusedWith(graphQl(staffAdmin()).document(setDesign).variable("input", input), "VALIDATION");
		input.put("languages", List.of(Map.of("language", "de", "words", List.of(Map.of("key", "POINTS_CHANGED",
				"text", "Neuer Stand")))));
		refusedWith(graphQl(staffAdmin()).document(setDesign).variable("input", input), "VALIDATION");
		input.put("languages", List.of(Map.of("language", "de", "words", List.of(Map.of("key", "POINTS", "text", "Meilen"))),
				Map.of("language", "en", "words", List.of(Map.of("key", "POINTS", "text", "Miles"), Map.of("key",
						"POINTS_CHANGED", "text", "You now have %@ miles.")))));
		passkit("GET", latest, auth, null).header("If-Modified-Since", lastModified).exchange().expectStatus().isNotModified();
		input.put("back", Map.of("terms", "Points expire after 2 years.", "website", "https://acme.example/rewards",
				"phone", "+33 1 23 45 67 89", "sharingProhibited", true, "appLaunchUrl", "acme://card", "appStoreIds",
				List.of(284882215L)));
		graphQl(staffAdmin()).document(setDesign).variable("input", input).execute()
				.path("setCardDesign.design.backgroundColor").entity(String.class).isEqualTo("#0A7E3C")
				.path("setCardDesign.design.back.website").entity(String.class).isEqualTo("https://acme.example/rewards")
				.path("setCardDesign.design.back.sharingProhibited").entity(Boolean.class).isEqualTo(true)
				.path("setCardDesign.design.back.appStoreIds[0]").entity(Long.class).isEqualTo(284882215L)
				.path("setCardDesign.design.back.about").valueIsNull()
				.path("setCardDesign.design.languages[1].language").entity(String.class).isEqualTo("en")
				.path("setCardDesign.design.languages[1].words[0].key").entity(String.class).isEqualTo("POINTS")
				.path("setCardDesign.design.languages[1].words[0].text").entity(String.class).isEqualTo("Miles");

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(google.classes.get(ISSUER + "." + p[0])).containsEntry("hexBackgroundColor", "#0A7E3C");
			assertThat(google.classes.get(ISSUER + "." + p[0]).get("linksModuleData").toString())
					.contains("https://acme.example/rewards").contains("tel:+33123456789");
			assertThat(apns.accepted.stream().filter(push -> push.token().equals(pushToken)).count()).isGreaterThan(pushesBefore);
			for (String m : members) {
				assertThat(card(staffAdmin(), m).get("updatedAt")).as("card of " + m).isNotEqualTo(updatedBefore.get(m));
			}
		});
		JsonNode changed = json.readTree(passkit("GET", registrations + "?passesUpdatedSince=" + tag, null, null).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(changed.get("serialNumbers").toString()).contains(serial);
		byte[] redesigned = passkit("GET", latest, auth, null).header("If-Modified-Since", lastModified).exchange()
				.expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
		// Google's logo is square, drawn on the new colour, and its class points at it
		assertThat(google.classes.get(ISSUER + "." + p[0]).get("programLogo").toString())
				.contains("/cards/images/" + p[0] + "/google-logo.png");
		byte[] googleLogo = http().get().uri("/cards/images/" + p[0] + "/google-logo.png").exchange().expectStatus().isOk()
				.expectHeader().contentType("image/png").expectBody(byte[].class).returnResult().getResponseBody();
		java.awt.image.BufferedImage square = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(googleLogo));
		assertThat(List.of(square.getWidth(), square.getHeight())).containsExactly(660, 660);
		assertThat(square.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x0A7E3C);
		JsonNode redesignedPass = passJson(redesigned);
		assertThat(redesignedPass.get("backgroundColor").asString()).isEqualTo("rgb(10, 126, 60)");
		assertThat(redesignedPass.propertyNames()).isSubsetOf(APPLE_PASS_KEYS);
		assertThat(redesignedPass.get("sharingProhibited").asBoolean()).isTrue();
		assertThat(redesignedPass.get("locations")).hasSize(1);
		assertThat(redesignedPass.get("locations").get(0).get("relevantText").asString()).isEqualTo("Acme Paris Opéra");
		assertThat(redesignedPass.get("storeCard").get("backFields").toString()).contains("Points expire after 2 years.");
		try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(redesigned))) {
			Map<String, String> strings = new HashMap<>();
			for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				if (entry.getName().endsWith("pass.strings")) {
					strings.put(entry.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
				}
			}
			assertThat(strings.get("en.lproj/pass.strings")).contains("\"balance\" = \"Miles\";");
			assertThat(strings.get("de.lproj/pass.strings")).contains("\"balance\" = \"Meilen\";");
			assertThat(strings.get("fr.lproj/pass.strings")).contains("\"balance\" = \"Points\";");
		}
	}

	@Test
	void closing_or_erasing_a_member_voids_the_card_in_both_wallets() throws Exception {
		String[] p = enrolledMember("cards-close", "olga");
		String serial = (String) card(member("olga"), p[1]).get("serialNumber");
		String olgasAuth = addedToWallet("olga", p[1]);
		graphQl(staffAdmin()).document("""
				mutation($id: ID!) { changeMemberStatus(input: {memberId: $id, status: CLOSED, reason: "asked"}) { member { status } } }""")
				.variable("id", p[1]).execute().path("changeMemberStatus.member.status").entity(String.class).isEqualTo("CLOSED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(card(staffAdmin(), p[1])).containsEntry("status", "VOIDED");
			assertThat(google.objects.get(ISSUER + "." + serial)).containsEntry("state", "INACTIVE");
		});
		// a voided card is no longer offered to wallets; the phone that holds it fetches it voided
		assertThat(card(staffAdmin(), p[1])).containsEntry("appleWalletUrl", null).containsEntry("googleWalletUrl", null);
		JsonNode pass = passJson(passkit("GET", "/passes/" + WalletFixtures.PASS_TYPE + "/" + serial, olgasAuth, null)
				.exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
		assertThat(pass.get("voided").asBoolean()).isTrue();

		String[] q = enrolledMember("cards-close", "pia");
		JsonNode piasPass = passJson(download((String) card(member("pia"), q[1]).get("appleWalletUrl")));
		String piasSerial = piasPass.get("serialNumber").asString();
		String devices = "/devices/device-pia-1/registrations/" + WalletFixtures.PASS_TYPE;
		passkit("POST", devices + "/" + piasSerial, "ApplePass " + piasPass.get("authenticationToken").asString(),
				Map.of("pushToken", "0a1b2c3d4e5f60718293a4b5c6d7e8f9")).exchange().expectStatus().isCreated();
		graphQl(member("pia")).document("mutation($id: ID!) { eraseMember(input: {memberId: $id}) { member { status } } }")
				.variable("id", q[1]).execute().path("eraseMember.member.status").entity(String.class).isEqualTo("CLOSED");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(card(staffAdmin(), q[1])).containsEntry("status", "VOIDED").containsEntry("cardNumber", null);
			// Google keeps what a PATCH leaves out: the name and number went out empty
			assertThat(google.objects.get(ISSUER + "." + piasSerial)).containsEntry("accountName", "")
					.containsEntry("accountId", "");
		});
		assertThat(google.objects.get(ISSUER + "." + piasSerial).toString()).doesNotContain("Alice Martin");
		// the phone is told once, fetches the pass without name or number, and hears nothing more
		passkit("GET", devices, null, null).exchange().expectStatus().isOk();
		passkit("GET", devices, null, null).exchange().expectStatus().isNoContent();
	}

	@Test
	void staff_list_revoke_and_design_cards_and_nobody_else_may() throws Exception {
		String[] p = enrolledMember("cards-staff", "quinn");
		String rosa = enrolledMember("cards-staff", "rosa")[1];
		String list = "query($p: ID!) { programCards(programId: $p, first: 10) { edges { node { serialNumber memberId status } } } }";
		// cards are issued when the enrollment event arrives, after the answer
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(graphQl(token("staff", "roles", "support"))
				.document(list).variable("p", p[0]).execute().path("programCards.edges[*].node")
				.entity(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get()).hasSize(2));
		// a page at a time, in serial-number order
		String paged = """
				query($p: ID!, $after: String) { programCards(programId: $p, first: 1, after: $after) {
				  edges { cursor node { serialNumber } } pageInfo { hasPreviousPage hasNextPage endCursor } } }""";
		var first = graphQl(staffAdmin()).document(paged).variable("p", p[0]).execute();
		first.path("programCards.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(false)
				.path("programCards.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String firstSerial = first.path("programCards.edges[0].node.serialNumber").entity(String.class).get();
		var second = graphQl(staffAdmin()).document(paged).variable("p", p[0])
				.variable("after", first.path("programCards.pageInfo.endCursor").entity(String.class).get()).execute();
		second.path("programCards.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true)
				.path("programCards.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
		assertThat(second.path("programCards.edges[0].node.serialNumber").entity(String.class).get())
				.isGreaterThan(firstSerial);
		refusedWith(graphQl(staffAdmin()).document(paged).variable("p", p[0]).variable("after", "%%%"), "VALIDATION");
		refusedWith(graphQl(token("staff", "roles", "support", "programs", "elsewhere")).document(list).variable("p", p[0]),
				"FORBIDDEN");
		refusedWith(graphQl(member("quinn")).document(list).variable("p", p[0]), "FORBIDDEN");

		String serial = (String) card(member("quinn"), p[1]).get("serialNumber");
		String revoke = """
				mutation($s: ID!, $r: String!) { revokeCard(input: {serialNumber: $s, reason: $r}) { card { status statusReason } } }""";
		refusedWith(graphQl(member("quinn")).document(revoke).variable("s", serial).variable("r", "mine"), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "analyst")).document(revoke).variable("s", serial).variable("r", "x"),
				"FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(revoke).variable("s", serial).variable("r", ""), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(revoke).variable("s", "c-unknown").variable("r", "fraud"), "NOT_FOUND");
		graphQl(token("staff", "roles", "support")).document(revoke).variable("s", serial).variable("r", "fraud suspected")
				.execute().path("revokeCard.card.status").entity(String.class).isEqualTo("REVOKED")
				.path("revokeCard.card.statusReason").entity(String.class).isEqualTo("REVOKED: fraud suspected");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(google.objects.get(ISSUER + "." + serial))
				.containsEntry("state", "INACTIVE"));

		String design = """
				mutation($input: CardDesignInput!) { setCardDesign(input: $input) { design { programId backgroundColor barcodeFormat hasOwnLogo } } }""";
		Map<String, Object> input = new HashMap<>(Map.of("programId", p[0], "organizationName", "Acme Rewards",
				"description", "Acme loyalty card", "backgroundColor", "#112233", "foregroundColor", "#FFFFFF",
				"labelColor", "#AABBCC", "barcodeFormat", "PDF417"));
		refusedWith(graphQl(token("staff", "roles", "operator")).document(design).variable("input", input), "FORBIDDEN");
		Map<String, Object> bad = new HashMap<>(input);
		bad.put("backgroundColor", "red");
		refusedWith(graphQl(staffAdmin()).document(design).variable("input", bad), "VALIDATION");
		bad = new HashMap<>(input);
		bad.put("logoPng", java.util.Base64.getEncoder().encodeToString("GIF89a not a png".getBytes()));
		refusedWith(graphQl(staffAdmin()).document(design).variable("input", bad), "VALIDATION");
		bad = new HashMap<>(input);
		bad.put("programId", "no-such-program");
		refusedWith(graphQl(staffAdmin()).document(design).variable("input", bad), "NOT_FOUND");
		graphQl(staffAdmin()).document(design).variable("input", input).execute()
				.path("setCardDesign.design.backgroundColor").entity(String.class).isEqualTo("#112233");
		JsonNode pass = passJson(download((String) card(member("rosa"), rosa).get("appleWalletUrl")));
		assertThat(pass.get("backgroundColor").asString()).isEqualTo("rgb(17, 34, 51)");
		assertThat(pass.get("barcodes").get(0).get("format").asString()).isEqualTo("PKBarcodeFormatPDF417");
	}
}
