package io.fidelis.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.FileSystemResource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import io.fidelis.cards.adapter.out.wallet.CardsProperties;
import io.fidelis.cards.adapter.out.wallet.PushyPassPushes;
import io.fidelis.cards.adapter.out.wallet.RestGoogleWallet;
import io.fidelis.cards.adapter.out.wallet.WalletCredentials;
import io.fidelis.cards.application.PassPushes;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** The two outbound wallet adapters against their local stand-ins: pushy's mock APNs, and a Google stub. */
class WalletAdaptersTest {

	static final WalletFixtures fixtures = new WalletFixtures();
	static final ApnsMock apns = new ApnsMock(fixtures);
	static final GoogleWalletStub stub = new GoogleWalletStub(fixtures.googlePublicKey(), WalletFixtures.SERVICE_ACCOUNT);
	static final WalletCredentials credentials = new WalletCredentials(fixtures.pass.certificate(), fixtures.pass.key(),
			fixtures.ca.certificate(), (java.security.interfaces.RSAPrivateKey) fixtures.google.getPrivate(), false,
			Instant.now());

	RestGoogleWallet google(List<String> origins) {
		return new RestGoogleWallet(new CardsProperties.Google("3388000000012345678", WalletFixtures.SERVICE_ACCOUNT, null,
				origins, true, stub.apiUrl(), stub.tokenUrl()), credentials, "https://loyalty.example.com", Clock.systemUTC());
	}

	static WalletCard card(String serial, String name, long balance) {
		return WalletCard.issue(serial, "m_" + serial, "acme", "4242123412341234", name, "Gold", "0123456789abcdefghij",
				Instant.parse("2026-11-27T10:00:00Z")).withBalance(balance, 0, balance, 0, null, Instant.parse("2026-11-27T10:00:01Z"));
	}

	static final CardDesign design = new CardDesign("acme", "Acme Rewards", "Acme loyalty card", null, "#1F3A5F",
			"#FFFFFF", "#C9D6E8", CardDesign.BarcodeFormat.CODE128, null, null, null);

	@BeforeEach
	void reset() {
		stub.classes.clear();
		stub.objects.clear();
		stub.calls.clear();
		apns.accepted.clear();
	}

	@AfterAll
	static void stop() {
		apns.close();
		stub.close();
	}

	@Test
	void the_save_link_is_an_rs256_jwt_google_accepts() throws Exception {
		String url = google(List.of("https://shop.example.com")).saveUrl(card("c1", "Alice Martin", 120), design);
		assertThat(url).startsWith("https://pay.google.com/gp/v/save/").hasSizeLessThanOrEqualTo(1800);
		SignedJWT jwt = SignedJWT.parse(url.substring(url.lastIndexOf('/') + 1));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.verify(new RSASSAVerifier(fixtures.googlePublicKey()))).isTrue();
		var claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(WalletFixtures.SERVICE_ACCOUNT);
		assertThat(claims.getAudience()).containsExactly("google");
		assertThat(claims.getClaim("typ")).isEqualTo("savetowallet");
		assertThat(claims.getStringListClaim("origins")).containsExactly("https://shop.example.com");
		Map<String, Object> payload = claims.getJSONObjectClaim("payload");
		@SuppressWarnings("unchecked")
		Map<String, Object> object = ((List<Map<String, Object>>) payload.get("loyaltyObjects")).get(0);
		assertThat(object).containsEntry("id", "3388000000012345678.c1").containsEntry("classId", "3388000000012345678.acme")
				.containsEntry("state", "ACTIVE").containsEntry("accountId", "4242123412341234")
				.containsEntry("accountName", "Alice Martin");
		assertThat(object.get("loyaltyPoints").toString()).contains("120");
		assertThat(object.get("barcode").toString()).contains("CODE_128").contains("4242123412341234");
		assertThat(stub.calls).as("a short link needs no API call").isEmpty();
		// a forged link does not verify
		assertThat(SignedJWT.parse(url.substring(url.lastIndexOf('/') + 1, url.length() - 4) + "AAAA")
				.verify(new RSASSAVerifier(fixtures.googlePublicKey()))).isFalse();
	}

	@Test
	void a_link_too_long_for_browsers_inserts_the_object_first_and_only_names_it() throws Exception {
		String longName = "Alexandrine-Marie-Josephine de la Tour d'Auvergne-Lauraguais et de Saint-Exupery-Montmorency ".repeat(6);
		WalletCard card = card("c2", longName.strip().substring(0, 199), 75);
		String url = google(List.of("https://shop.example.com", "https://app.example.com")).saveUrl(card, design);
		assertThat(url.length()).isLessThanOrEqualTo(1800);
		assertThat(stub.objects).containsKey("3388000000012345678.c2");
		assertThat(stub.classes).containsKey("3388000000012345678.acme");
		Map<String, Object> payload = SignedJWT.parse(url.substring(url.lastIndexOf('/') + 1)).getJWTClaimsSet()
				.getJSONObjectClaim("payload");
		assertThat(payload.get("loyaltyObjects").toString()).contains("3388000000012345678.c2")
				.doesNotContain("Alexandrine");
	}

	@Test
	void updates_patch_the_object_inserting_class_and_object_when_missing() {
		RestGoogleWallet google = google(List.of());
		google.update(card("c3", "Bob", 10), design);
		assertThat(stub.calls).extracting(GoogleWalletStub.Call::method)
				.containsExactly("PATCH", "POST", "POST"); // 404, then class and object inserted
		google.update(card("c3", "Bob", 25), design);
		assertThat(stub.objects.get("3388000000012345678.c3").get("loyaltyPoints").toString()).contains("25");
		// past Google's 32-bit int, the balance goes as a string
		google.update(card("c3", "Bob", 3_000_000_000L), design);
		assertThat(stub.objects.get("3388000000012345678.c3").get("loyaltyPoints").toString())
				.contains("string=3000000000").doesNotContain("int=");
		google.update(card("c3", "Bob", 25), design);
		assertThat(stub.objects.get("3388000000012345678.c3").get("loyaltyPoints").toString()).contains("int=25");
		assertThat(stub.objects.get("3388000000012345678.c3").get("textModulesData").toString()).doesNotContain("expires_on");
		// points expiring soon: when the first of them go
		google.update(card("c3", "Bob", 25).withBalance(25, 0, 99, 10, Instant.parse("2026-12-20T00:00:00Z"),
				Instant.parse("2026-11-27T10:00:05Z")), design);
		assertThat(stub.objects.get("3388000000012345678.c3").get("textModulesData").toString())
				.contains("expires_on").contains("2026-12-20");
		// a program's own words: Miles in English, Meilen for German phones
		CardDesign miles = new CardDesign(design.programId(), design.organizationName(), design.description(),
				design.logoText(), design.backgroundColor(), design.foregroundColor(), design.labelColor(),
				design.barcodeFormat(), null, null, null, io.fidelis.cards.domain.CardBack.NONE, List.of(
						new io.fidelis.cards.domain.CardLanguage("en", java.util.Map.of("balance", "Miles")),
						new io.fidelis.cards.domain.CardLanguage("de", java.util.Map.of("balance", "Meilen", "tier", "Stufe"))));
		google.update(card("c3", "Bob", 25), miles);
		assertThat(stub.objects.get("3388000000012345678.c3").get("loyaltyPoints").toString()).contains("label=Miles")
				.contains("language=de").contains("value=Meilen");
		assertThat(stub.objects.get("3388000000012345678.c3").get("textModulesData").toString()).contains("value=Stufe");
		// suspended: inactive, and a status module that goes once the suspension is lifted
		google.update(card("c3", "Bob", 25).suspended(true, Instant.now()), design);
		assertThat(stub.objects.get("3388000000012345678.c3")).containsEntry("state", "INACTIVE");
		assertThat(stub.objects.get("3388000000012345678.c3").get("textModulesData").toString()).contains("Suspended");
		google.update(card("c3", "Bob", 25), design);
		assertThat(stub.objects.get("3388000000012345678.c3")).containsEntry("state", "ACTIVE");
		assertThat(stub.objects.get("3388000000012345678.c3").get("textModulesData").toString()).doesNotContain("Suspended");
		google.update(card("c3", "Bob", 25).ended(WalletCard.CardStatus.REVOKED, "fraud", Instant.now()), design);
		assertThat(stub.objects.get("3388000000012345678.c3")).containsEntry("state", "INACTIVE");
		// erased: Google keeps what a PATCH leaves out, so the name, number and barcode are sent empty
		assertThat(stub.objects.get("3388000000012345678.c3")).containsEntry("accountName", "Bob");
		google.update(card("c3", "Bob", 25).erased(Instant.now()), design);
		assertThat(stub.objects.get("3388000000012345678.c3")).containsEntry("accountName", "").containsEntry("accountId", "")
				.extracting(o -> o.get("barcode").toString()).asString().doesNotContain("4242").contains("value=");
		assertThat(stub.objects.get("3388000000012345678.c3").toString()).doesNotContain("Bob").doesNotContain("4242");
		assertThat(stub.tokensIssued.get()).as("the token is reused while valid").isLessThanOrEqualTo(2);

		stub.unavailableFor.set(1);
		assertThatThrownBy(() -> google.update(card("c3", "Bob", 30), design)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("503");
		// asked to slow down: the update says when Google wants it again
		stub.unavailableStatus.set(429);
		stub.retryAfter.set("30");
		stub.unavailableFor.set(1);
		assertThatThrownBy(() -> google.update(card("c3", "Bob", 30), design))
				.isInstanceOfSatisfying(io.fidelis.cards.application.GoogleWallet.Busy.class, busy -> {
					assertThat(busy.getMessage()).contains("429");
					assertThat(busy.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(30));
				});
		stub.unavailableStatus.set(503);
		stub.retryAfter.set(null);
	}

	@Test
	void a_key_google_does_not_know_gets_no_token() {
		WalletCredentials stranger = new WalletCredentials(fixtures.pass.certificate(), fixtures.pass.key(),
				fixtures.ca.certificate(), (java.security.interfaces.RSAPrivateKey) io.fidelis.cards.adapter.out.wallet
						.DevelopmentCredentials.rsa().getPrivate(), false, Instant.now());
		RestGoogleWallet google = new RestGoogleWallet(new CardsProperties.Google("3388000000012345678",
				WalletFixtures.SERVICE_ACCOUNT, null, List.of(), true, stub.apiUrl(), stub.tokenUrl()), stranger,
				"https://loyalty.example.com", Clock.systemUTC());
		assertThatThrownBy(() -> google.update(card("c4", "Eve", 1), design)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("token endpoint answered 400");
		assertThat(stub.objects).isEmpty();
	}

	@Test
	void apns_gets_the_empty_pass_push_with_the_pass_type_as_topic() throws Exception {
		CardsProperties.Apns settings = new CardsProperties.Apns(true, "localhost", apns.port(),
				new FileSystemResource(fixtures.dir.resolve("wwdr.pem")), null, null);
		try (PushyPassPushes pushes = new PushyPassPushes(settings, credentials)) {
			String token = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2";
			assertThat(pushes.push(token, WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.SENT);
			assertThat(apns.accepted).singleElement().satisfies(push -> {
				assertThat(push.token()).isEqualTo(token);
				assertThat(push.topic()).isEqualTo(WalletFixtures.PASS_TYPE);
				assertThat(push.payload()).isEqualTo("{}");
			});
			assertThat(pushes.push("dead" + token.substring(4), WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.GONE);
		}
	}

	/** A Pass Type ID certificate for our pass type, issued by a CA that APNs does not trust. */
	static WalletCredentials strangersCredentials() {
		var otherCa = io.fidelis.cards.adapter.out.wallet.DevelopmentCredentials.authority("Stranger",
				Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
		var stranger = io.fidelis.cards.adapter.out.wallet.DevelopmentCredentials.passCertificate(otherCa,
				WalletFixtures.PASS_TYPE, WalletFixtures.TEAM, Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
		return new WalletCredentials(stranger.certificate(), stranger.key(), otherCa.certificate(),
				(java.security.interfaces.RSAPrivateKey) fixtures.google.getPrivate(), false, Instant.now());
	}

	@Test
	void apns_refuses_a_client_certificate_it_does_not_trust() throws Exception {
		WalletCredentials wrong = strangersCredentials();
		CardsProperties.Apns settings = new CardsProperties.Apns(true, "localhost", apns.port(),
				new FileSystemResource(fixtures.dir.resolve("wwdr.pem")), null, null);
		try (PushyPassPushes pushes = new PushyPassPushes(settings, wrong)) {
			assertThat(pushes.push("abcdef0123456789", WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.FAILED);
		}
		assertThat(apns.accepted).isEmpty();
	}

	/** An APNs authentication key as Apple's developer account hands it out: a P-256 key, PKCS#8 in PEM (.p8). */
	static java.security.KeyPair p8(java.nio.file.Path file) throws Exception {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
		java.security.KeyPair pair = generator.generateKeyPair();
		java.nio.file.Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
				+ java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n");
		return pair;
	}

	@Test
	void apns_takes_a_token_signed_with_the_teams_p8_key_instead_of_the_certificate() throws Exception {
		java.nio.file.Path keyFile = fixtures.dir.resolve("AuthKey_ABC123DEFG.p8");
		java.security.KeyPair key = p8(keyFile);
		apns.signingKeys.put("ABC123DEFG", new ApnsMock.SigningKey(WalletFixtures.TEAM,
				(java.security.interfaces.ECPublicKey) key.getPublic(), java.util.Set.of(WalletFixtures.PASS_TYPE)));
		// a client certificate nobody trusts: only the token can let the push through
		WalletCredentials untrusted = strangersCredentials();
		CardsProperties.Apns settings = new CardsProperties.Apns(true, "localhost", apns.port(),
				new FileSystemResource(fixtures.dir.resolve("wwdr.pem")), new FileSystemResource(keyFile), "ABC123DEFG");
		String token = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
		try (PushyPassPushes pushes = new PushyPassPushes(settings, WalletFixtures.TEAM, untrusted)) {
			assertThat(pushes.push(token, WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.SENT);
			assertThat(pushes.push(token, WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.SENT);
			assertThat(pushes.push(token, "pass.io.fidelis.someone-else")).as("a pass type the team does not own")
					.isEqualTo(PassPushes.Result.FAILED);
		}
		assertThat(apns.accepted).filteredOn(push -> push.token().equals(token)).hasSize(2)
				.allSatisfy(push -> assertThat(push.topic()).isEqualTo(WalletFixtures.PASS_TYPE));
		assertThat(apns.acceptedTokens).as("one token serves both pushes").hasSize(1);

		// another team's key, or a key id Apple does not know, is refused
		CardsProperties.Apns otherTeam = new CardsProperties.Apns(true, "localhost", apns.port(),
				new FileSystemResource(fixtures.dir.resolve("wwdr.pem")), new FileSystemResource(keyFile), "ABC123DEFG");
		try (PushyPassPushes pushes = new PushyPassPushes(otherTeam, "OTHERTEAM1", untrusted)) {
			assertThat(pushes.push(token, WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.FAILED);
		}
		java.nio.file.Path unknownFile = fixtures.dir.resolve("AuthKey_ZZZ999ZZZZ.p8");
		p8(unknownFile);
		CardsProperties.Apns unknown = new CardsProperties.Apns(true, "localhost", apns.port(),
				new FileSystemResource(fixtures.dir.resolve("wwdr.pem")), new FileSystemResource(unknownFile), "ZZZ999ZZZZ");
		try (PushyPassPushes pushes = new PushyPassPushes(unknown, WalletFixtures.TEAM, untrusted)) {
			assertThat(pushes.push(token, WalletFixtures.PASS_TYPE)).isEqualTo(PassPushes.Result.FAILED);
		}
		assertThat(apns.accepted).filteredOn(push -> push.token().equals(token)).hasSize(2);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CardsProperties.Apns(true, null, null, null,
				new FileSystemResource(keyFile), "short")).hasMessageContaining("key-id");
	}
}
