package io.fidelis.cards.adapter.out.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.brendamour.jpasskit.PKPass;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A produced pass, taken apart the way Wallet does: manifest, signature, pass.json. */
class JpasskitPassesTest {

	static final TestCredentials credentials = new TestCredentials();
	static final JpasskitPasses passes = new JpasskitPasses(TestCredentials.PASS_TYPE, TestCredentials.TEAM,
			"https://loyalty.example.com", credentials.wallet());

	static WalletCard card() {
		return WalletCard.issue("c0123456789abcdef", "m_1", "acme", "4242123412341234", "Alice Martin", "Gold",
				"0123456789abcdefghij", Instant.parse("2026-11-27T10:00:00Z"))
				.withBalance(1250, 40, 7, 300, Instant.parse("2026-12-20T00:00:00Z"), Instant.parse("2026-11-27T10:00:01Z"));
	}

	static CardDesign design(CardDesign.BarcodeFormat format) {
		return new CardDesign("acme", "Acme Rewards", "Acme loyalty card", "Acme", "#1F3A5F", "#FFFFFF", "#C9D6E8",
				format, null, null, null);
	}

	static Map<String, byte[]> unzip(byte[] pkpass) throws IOException {
		Map<String, byte[]> files = new LinkedHashMap<>();
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(pkpass))) {
			for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
				files.put(entry.getName(), zip.readAllBytes());
			}
		}
		return files;
	}

	@Test
	void every_file_is_in_the_manifest_with_its_sha1() throws Exception {
		Map<String, byte[]> files = unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR)));
		assertThat(files).containsKeys("pass.json", "manifest.json", "signature", "icon.png", "icon@2x.png", "logo.png",
				"strip.png", "en.lproj/pass.strings", "fr.lproj/pass.strings");
		JsonNode manifest = new JsonMapper().readTree(files.get("manifest.json"));
		List<String> listed = manifest.propertyNames().stream().toList();
		assertThat(listed).containsExactlyInAnyOrderElementsOf(
				files.keySet().stream().filter(f -> !f.equals("manifest.json") && !f.equals("signature")).toList());
		for (String name : listed) {
			String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(files.get(name)));
			assertThat(manifest.get(name).asString()).as(name).isEqualTo(sha1);
		}
	}

	/** A detached PKCS#7 over manifest.json by the pass certificate, with the WWDR intermediate included. */
	@Test
	void the_signature_is_a_detached_pkcs7_by_the_pass_certificate_chained_to_the_wwdr() throws Exception {
		Map<String, byte[]> files = unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR)));
		CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(files.get("manifest.json")),
				files.get("signature"));
		assertThat(signed.isDetachedSignature()).isTrue();
		Collection<X509CertificateHolder> included = signed.getCertificates().getMatches(null);
		assertThat(included).extracting(X509CertificateHolder::getSubject).extracting(Object::toString)
				.anyMatch(s -> s.contains("Test WWDR")).anyMatch(s -> s.contains("UID=" + TestCredentials.PASS_TYPE));
		SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
		X509CertificateHolder signerCertificate = (X509CertificateHolder) signed.getCertificates()
				.getMatches(signer.getSID()).iterator().next();
		assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signerCertificate))).isTrue();
		X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(signerCertificate);
		certificate.verify(credentials.ca.certificate().getPublicKey()); // issued by the WWDR stand-in
		assertThat(certificate).isEqualTo(credentials.pass.certificate());

		// a tampered manifest no longer verifies
		byte[] tampered = new String(files.get("manifest.json"), StandardCharsets.UTF_8).replace('a', 'b')
				.getBytes(StandardCharsets.UTF_8);
		CMSSignedData forged = new CMSSignedData(new CMSProcessableByteArray(tampered), files.get("signature"));
		SignerInformation forgedSigner = forged.getSignerInfos().getSigners().iterator().next();
		assertThatThrownBy(() -> forgedSigner.verify(new JcaSimpleSignerInfoVerifierBuilder().build(signerCertificate)))
				.isInstanceOf(org.bouncycastle.cms.CMSSignerDigestMismatchException.class);
	}

	@Test
	void openssl_verifies_the_signature_against_the_test_ca(@TempDir Path dir) throws Exception {
		Assumptions.assumeTrue(onPath("openssl"), "openssl is not installed here; BouncyCastle verified the signature");
		Map<String, byte[]> files = unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR)));
		Files.write(dir.resolve("manifest.json"), files.get("manifest.json"));
		Files.write(dir.resolve("signature"), files.get("signature"));
		Files.writeString(dir.resolve("ca.pem"), credentials.ca.certificatePem());
		Process openssl = new ProcessBuilder("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "signature",
				"-content", "manifest.json", "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null")
				.directory(dir.toFile()).redirectErrorStream(true).start();
		assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(openssl.exitValue()).as(output).isZero();
		assertThat(output).contains("Verification successful");
	}

	/**
	 * Every kind of pass Fidelis writes (plain, each barcode, points expiring, suspended, revoked,
	 * erased, and a design with a back, an app, languages and stores) against the JSON schema in
	 * test resources, written from Apple's pass.json reference: every key with its type and allowed
	 * values, and no other key. Each is also checked in every language it carries (every label the
	 * pass uses is in each pass.strings) and its signature by openssl.
	 */
	@Test
	void every_pass_is_valid_against_apple_s_pass_json_reference_in_every_language(@TempDir Path dir) throws Exception {
		com.networknt.schema.Schema schema;
		try (var in = getClass().getResourceAsStream("/apple/pass.schema.json")) {
			schema = com.networknt.schema.SchemaRegistry
					.withDefaultDialect(com.networknt.schema.dialect.Dialects.getDraft202012())
					.getSchema(new JsonMapper().readTree(in));
		}
		Instant at = Instant.parse("2026-11-27T11:00:00Z");
		CardDesign full = new CardDesign("air", "Air Rewards", "Air loyalty card", "Air", "#1F3A5F", "#FFFFFF", "#C9D6E8",
				CardDesign.BarcodeFormat.AZTEC, null, null, null, new io.fidelis.cards.domain.CardBack("Terms.",
						"https://air.example", "+33 1 23 45 67 89", "About.", true, "air://card", List.of(284882215L)),
				List.of(new io.fidelis.cards.domain.CardLanguage("de", Map.of("balance", "Meilen")),
						new io.fidelis.cards.domain.CardLanguage("pt-BR", Map.of("balance", "Milhas"))));
		List<io.fidelis.cards.domain.CardPlace> places = List.of(new io.fidelis.cards.domain.CardPlace("Paris", 48.87, 2.33));
		Map<String, byte[]> passes = new LinkedHashMap<>();
		for (CardDesign.BarcodeFormat format : CardDesign.BarcodeFormat.values()) {
			passes.put("plain " + format, this.passes.write(card(), design(format)));
		}
		passes.put("expiring", this.passes.write(card().withBalance(90, 5, 2, 40, Instant.parse("2026-12-20T00:00:00Z"), at),
				design(CardDesign.BarcodeFormat.QR)));
		passes.put("suspended", this.passes.write(card().suspended(true, at), design(CardDesign.BarcodeFormat.QR)));
		passes.put("revoked", this.passes.write(card().ended(WalletCard.CardStatus.REVOKED, "fraud", at),
				design(CardDesign.BarcodeFormat.QR)));
		passes.put("erased", this.passes.write(card().erased(at), design(CardDesign.BarcodeFormat.QR)));
		passes.put("full", this.passes.write(card(), full, places));
		Files.writeString(dir.resolve("ca.pem"), credentials.ca.certificatePem());
		for (Map.Entry<String, byte[]> written : passes.entrySet()) {
			Map<String, byte[]> files = unzip(written.getValue());
			JsonNode pass = new JsonMapper().readTree(files.get("pass.json"));
			assertThat(schema.validate(pass)).as(written.getKey() + ": " + pass).isEmpty();
			List<String> languages = files.keySet().stream().filter(f -> f.endsWith(".lproj/pass.strings")).toList();
			assertThat(languages).as(written.getKey()).contains("en.lproj/pass.strings", "fr.lproj/pass.strings");
			for (String language : languages) {
				Map<String, String> words = JpasskitPasses.words(files.get(language));
				for (String label : pass.findValuesAsString("label")) {
					assertThat(words).as(written.getKey() + " " + language).containsKey(label);
				}
				for (String message : pass.findValuesAsString("changeMessage")) { // where the phone puts the new value
					assertThat(words.get(message)).as(written.getKey() + " " + language + " " + message).contains("%@");
				}
			}
			if (onPath("openssl")) {
				Files.write(dir.resolve("manifest.json"), files.get("manifest.json"));
				Files.write(dir.resolve("signature"), files.get("signature"));
				Process openssl = new ProcessBuilder("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
						"signature", "-content", "manifest.json", "-CAfile", "ca.pem", "-purpose", "any", "-out", "/dev/null")
						.directory(dir.toFile()).redirectErrorStream(true).start();
				assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
				assertThat(openssl.exitValue()).as(written.getKey() + ": "
						+ new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
			}
		}
		assertThat(unzip(passes.get("full")).keySet()).contains("de.lproj/pass.strings", "pt-BR.lproj/pass.strings");
		// the schema does refuse: a key Apple does not know, and a colour Wallet cannot read
		JsonNode wrong = new JsonMapper().readTree("""
				{"description":"d","formatVersion":1,"organizationName":"o","passTypeIdentifier":"pass.x.y",
				 "serialNumber":"s","teamIdentifier":"ABCDE12345","associatedApps":[],"backgroundColor":"#112233"}""");
		assertThat(schema.validate(wrong)).hasSize(2);
	}

	@Test
	void pass_json_has_every_required_key_with_its_type() throws Exception {
		for (CardDesign.BarcodeFormat format : CardDesign.BarcodeFormat.values()) {
			JsonNode pass = new JsonMapper().readTree(unzip(passes.write(card(), design(format))).get("pass.json"));
			assertThat(pass.get("formatVersion").isInt()).isTrue();
			assertThat(pass.get("formatVersion").asInt()).isEqualTo(1);
			for (String key : List.of("passTypeIdentifier", "serialNumber", "teamIdentifier", "organizationName",
					"description", "webServiceURL", "authenticationToken", "backgroundColor", "foregroundColor",
					"labelColor")) {
				assertThat(pass.get(key)).as(key).isNotNull();
				assertThat(pass.get(key).isString()).as(key).isTrue();
			}
			assertThat(pass.get("passTypeIdentifier").asString()).isEqualTo(TestCredentials.PASS_TYPE);
			assertThat(pass.get("teamIdentifier").asString()).isEqualTo(TestCredentials.TEAM);
			assertThat(pass.get("serialNumber").asString()).isEqualTo("c0123456789abcdef");
			assertThat(pass.get("webServiceURL").asString()).isEqualTo("https://loyalty.example.com/passkit");
			assertThat(pass.get("authenticationToken").asString()).hasSizeGreaterThanOrEqualTo(16);
			assertThat(pass.get("backgroundColor").asString()).isEqualTo("rgb(31, 58, 95)");
			JsonNode barcode = pass.get("barcodes").get(0);
			assertThat(barcode.get("format").asString()).isEqualTo(switch (format) {
				case QR -> "PKBarcodeFormatQR";
				case CODE128 -> "PKBarcodeFormatCode128";
				case PDF417 -> "PKBarcodeFormatPDF417";
				case AZTEC -> "PKBarcodeFormatAztec";
			});
			assertThat(barcode.get("message").asString()).isEqualTo("4242123412341234");
			assertThat(barcode.get("messageEncoding").asString()).isEqualTo("iso-8859-1");
			JsonNode storeCard = pass.get("storeCard");
			assertThat(storeCard.get("primaryFields").get(0).get("key").asString()).isEqualTo("balance");
			assertThat(storeCard.get("primaryFields").get(0).get("value").isNumber()).isTrue();
			assertThat(storeCard.get("primaryFields").get(0).get("value").asLong()).isEqualTo(1250);
			assertThat(storeCard.get("headerFields").get(0).get("value").asString()).isEqualTo("Gold");
			assertThat(storeCard.get("secondaryFields").findValuesAsString("value")).contains("Alice Martin");
			assertThat(storeCard.get("secondaryFields").get(1).get("value").asLong()).as("expiring soon").isEqualTo(300);
			assertThat(pass.has("voided") && pass.get("voided").asBoolean()).isFalse();
			// when the expiring points go, as a date the phone formats
			JsonNode expiresOn = java.util.stream.StreamSupport.stream(storeCard.get("backFields").spliterator(), false)
					.filter(f -> f.get("key").asString().equals("expires_on")).findFirst().orElse(null);
			assertThat(expiresOn).as("expires_on").isNotNull();
			assertThat(java.time.Instant.parse(expiresOn.get("value").asString().replace("+00:00", "Z")))
					.isEqualTo(Instant.parse("2026-12-20T00:00:00Z"));
			assertThat(expiresOn.get("dateStyle").asString()).isEqualTo("PKDateStyleMedium");
		}
	}

	@Test
	void labels_are_localised_in_english_and_french() throws Exception {
		Map<String, byte[]> files = unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR)));
		String english = new String(files.get("en.lproj/pass.strings"), StandardCharsets.UTF_8);
		String french = new String(files.get("fr.lproj/pass.strings"), StandardCharsets.UTF_8);
		JsonNode storeCard = new JsonMapper().readTree(files.get("pass.json")).get("storeCard");
		for (String label : storeCard.findValuesAsString("label")) {
			assertThat(english).as(label).contains("\"" + label + "\" = ");
			assertThat(french).as(label).contains("\"" + label + "\" = ");
		}
		assertThat(french).contains("\"tier\" = \"Niveau\";");
		assertThat(english).contains("\"balance_changed\" = \"Your balance is now %@ points.\";");
	}

	@Test
	void a_voided_card_carries_no_barcode_and_says_so() throws Exception {
		WalletCard revoked = card().ended(WalletCard.CardStatus.REVOKED, "fraud", Instant.parse("2026-11-27T11:00:00Z"));
		JsonNode pass = new JsonMapper().readTree(unzip(passes.write(revoked, design(CardDesign.BarcodeFormat.QR)))
				.get("pass.json"));
		assertThat(pass.get("voided").asBoolean()).isTrue();
		assertThat(pass.has("barcodes") && !pass.get("barcodes").isEmpty()).isFalse();
	}

	@Test
	void a_suspended_card_says_so_on_its_front_without_a_barcode_and_is_not_voided() throws Exception {
		WalletCard suspended = card().suspended(true, Instant.parse("2026-11-27T11:00:00Z"));
		Map<String, byte[]> files = unzip(passes.write(suspended, design(CardDesign.BarcodeFormat.QR)));
		JsonNode pass = new JsonMapper().readTree(files.get("pass.json"));
		assertThat(pass.has("voided") && pass.get("voided").asBoolean()).isFalse();
		assertThat(pass.has("barcodes") && !pass.get("barcodes").isEmpty()).isFalse();
		JsonNode status = java.util.stream.StreamSupport.stream(pass.get("storeCard").get("headerFields").spliterator(), false)
				.filter(f -> f.get("key").asString().equals("status")).findFirst().orElse(null);
		assertThat(status).as("a status header field").isNotNull();
		assertThat(status.get("value").asString()).isEqualTo("suspended");
		for (String language : List.of("en", "fr")) {
			String strings = new String(files.get(language + ".lproj/pass.strings"), StandardCharsets.UTF_8);
			assertThat(strings).as(language).contains("\"suspended\" = ").contains("\"suspended_changed\" = ");
		}
		// lifted: active again, with its barcode and no status
		JsonNode active = new JsonMapper().readTree(unzip(passes.write(suspended.suspended(false,
				Instant.parse("2026-11-27T12:00:00Z")), design(CardDesign.BarcodeFormat.QR))).get("pass.json"));
		assertThat(active.get("barcodes")).isNotEmpty();
		assertThat(active.get("storeCard").get("headerFields").toString()).doesNotContain("suspended");
	}

	@Test
	void the_program_s_words_are_on_the_back_with_sharing_and_its_app_as_it_says() throws Exception {
		CardDesign design = new CardDesign("acme", "Acme Rewards", "Acme loyalty card", "Acme", "#1F3A5F", "#FFFFFF",
				"#C9D6E8", CardDesign.BarcodeFormat.QR, null, null, null, new io.fidelis.cards.domain.CardBack(
						"Points expire after 2 years.", "https://acme.example/rewards", "+33 1 23 45 67 89", "Since 1921",
						true, "acme://card", List.of(284882215L)));
		Map<String, byte[]> files = unzip(passes.write(card(), design));
		JsonNode pass = new JsonMapper().readTree(files.get("pass.json"));
		assertThat(pass.get("sharingProhibited").asBoolean()).isTrue();
		assertThat(pass.get("appLaunchURL").asString()).isEqualTo("acme://card");
		assertThat(pass.get("associatedStoreIdentifiers").get(0).asLong()).isEqualTo(284882215L);
		Map<String, JsonNode> back = new LinkedHashMap<>();
		pass.get("storeCard").get("backFields").forEach(f -> back.put(f.get("key").asString(), f));
		assertThat(back.get("terms").get("value").asString()).isEqualTo("Points expire after 2 years.");
		assertThat(back.get("about").get("value").asString()).isEqualTo("Since 1921");
		assertThat(back.get("website").get("dataDetectorTypes").toString()).contains("PKDataDetectorTypeLink");
		assertThat(back.get("phone").get("dataDetectorTypes").toString()).contains("PKDataDetectorTypePhoneNumber");
		for (String language : List.of("en", "fr")) {
			String strings = new String(files.get(language + ".lproj/pass.strings"), StandardCharsets.UTF_8);
			for (String label : List.of("terms", "about", "website", "phone")) {
				assertThat(strings).as(language + " " + label).contains("\"" + label + "\" = ");
			}
		}
		// nothing of it by default: Apple shares passes unless told not to
		JsonNode plain = new JsonMapper().readTree(unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR)))
				.get("pass.json"));
		assertThat(plain.has("sharingProhibited") && plain.get("sharingProhibited").asBoolean()).isFalse();
		assertThat(plain.has("appLaunchURL")).isFalse();
		assertThat(plain.get("storeCard").get("backFields").toString()).doesNotContain("terms");
	}

	@Test
	void a_program_says_miles_and_speaks_german_with_fidelis_words_where_it_gives_none() throws Exception {
		CardDesign design = new CardDesign("air", "Air Rewards", "Air loyalty card", "Air", "#1F3A5F", "#FFFFFF",
				"#C9D6E8", CardDesign.BarcodeFormat.QR, null, null, null, io.fidelis.cards.domain.CardBack.NONE, List.of(
						new io.fidelis.cards.domain.CardLanguage("en", Map.of("balance", "Miles", "balance_changed",
								"You now have %@ \"Miles\".")),
						new io.fidelis.cards.domain.CardLanguage("de", Map.of("balance", "Meilen", "tier", "Stufe"))));
		Map<String, byte[]> files = unzip(passes.write(card(), design));
		Map<String, String> english = JpasskitPasses.words(files.get("en.lproj/pass.strings"));
		Map<String, String> german = JpasskitPasses.words(files.get("de.lproj/pass.strings"));
		Map<String, String> french = JpasskitPasses.words(files.get("fr.lproj/pass.strings"));
		assertThat(english).containsEntry("balance", "Miles").containsEntry("balance_changed", "You now have %@ \"Miles\".")
				.containsEntry("pending", "Pending");
		assertThat(german).containsEntry("balance", "Meilen").containsEntry("tier", "Stufe").containsEntry("pending", "Pending");
		assertThat(german.keySet()).as("every label the pass uses").containsAll(english.keySet());
		assertThat(french).containsEntry("balance", "Points").containsEntry("tier", "Niveau");
		// the new language is signed like the others
		JsonNode manifest = new JsonMapper().readTree(files.get("manifest.json"));
		assertThat(manifest.get("de.lproj/pass.strings").asString())
				.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(files.get("de.lproj/pass.strings"))));
	}

	@Test
	void the_card_comes_up_near_the_program_s_stores_ten_at_most_and_never_once_ended() throws Exception {
		List<io.fidelis.cards.domain.CardPlace> places = java.util.stream.IntStream.range(0, 12)
				.mapToObj(i -> new io.fidelis.cards.domain.CardPlace("Store " + i, 48.0 + i / 100.0, 2.0 + i / 100.0)).toList();
		JsonNode pass = new JsonMapper().readTree(unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR), places))
				.get("pass.json"));
		assertThat(pass.get("locations")).hasSize(10);
		assertThat(pass.get("locations").get(1).get("latitude").asDouble()).isEqualTo(48.01);
		assertThat(pass.get("locations").get(1).get("longitude").asDouble()).isEqualTo(2.01);
		assertThat(pass.get("locations").get(1).get("relevantText").asString()).isEqualTo("Store 1");
		WalletCard revoked = card().ended(WalletCard.CardStatus.REVOKED, "fraud", Instant.parse("2026-11-27T11:00:00Z"));
		JsonNode ended = new JsonMapper().readTree(unzip(passes.write(revoked, design(CardDesign.BarcodeFormat.QR), places))
				.get("pass.json"));
		assertThat(ended.has("locations") && !ended.get("locations").isEmpty()).isFalse();
	}

	@Test
	void a_program_s_own_images_replace_fidelis_ones() throws Exception {
		byte[] logo = unzip(passes.write(card(), design(CardDesign.BarcodeFormat.QR))).get("icon.png");
		CardDesign own = new CardDesign("acme", "Acme Rewards", "Acme loyalty card", null, "#000000", "#FFFFFF",
				"#FFFFFF", CardDesign.BarcodeFormat.QR, logo, logo, logo);
		Map<String, byte[]> files = unzip(passes.write(card(), own));
		assertThat(files.get("strip.png")).isEqualTo(logo);
		assertThat(files.get("logo@2x.png")).isEqualTo(logo);
	}

	@Test
	void jpasskit_s_validation_runs_before_signing() {
		PKPass incomplete = PKPass.builder().serialNumber("x").build();
		assertThat(JpasskitPasses.validationErrors(incomplete)).isNotEmpty()
				.anyMatch(e -> e.contains("authenticationToken"));
		PKPass valid = passes.pass(card(), design(CardDesign.BarcodeFormat.QR), List.of());
		assertThat(JpasskitPasses.validationErrors(valid)).isEmpty();
	}

	@Test
	void a_wwdr_that_did_not_issue_the_pass_certificate_stops_the_start() {
		Instant now = Instant.now();
		DevelopmentCredentials.Issued root = DevelopmentCredentials.authority("Some Root CA", now.minusSeconds(60),
				now.plusSeconds(86_400));
		assertThatThrownBy(() -> new WalletCredentials(credentials.pass.certificate(), credentials.pass.key(),
				root.certificate(), (java.security.interfaces.RSAPrivateKey) credentials.google.getPrivate(), false, now))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("fidelis.cards.apple.wwdr-certificate")
				.hasMessageContaining("did not issue").hasMessageContaining("Test WWDR");
		// the same name, another key: named as the issuer, but it did not sign
		DevelopmentCredentials.Issued impostor = DevelopmentCredentials.authority("Test WWDR", now.minusSeconds(60),
				now.plusSeconds(86_400));
		assertThatThrownBy(() -> new WalletCredentials(credentials.pass.certificate(), credentials.pass.key(),
				impostor.certificate(), (java.security.interfaces.RSAPrivateKey) credentials.google.getPrivate(), false, now))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("did not issue");
	}

	@Test
	void identifiers_other_than_the_certificates_stop_the_start() {
		WalletCredentials.identifiedAs(credentials.pass.certificate(), TestCredentials.PASS_TYPE, TestCredentials.TEAM);
		assertThatThrownBy(() -> WalletCredentials.identifiedAs(credentials.pass.certificate(), "pass.io.fidelis.dev",
				TestCredentials.TEAM)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("fidelis.cards.apple.pass-type-identifier").hasMessageContaining(TestCredentials.PASS_TYPE);
		assertThatThrownBy(() -> WalletCredentials.identifiedAs(credentials.pass.certificate(), TestCredentials.PASS_TYPE,
				"FIDELISDEV")).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("fidelis.cards.apple.team-identifier").hasMessageContaining(TestCredentials.TEAM);
	}

	@Test
	void an_expired_certificate_stops_the_start_with_what_to_do() {
		Instant now = Instant.now();
		DevelopmentCredentials.Issued ca = DevelopmentCredentials.authority("Old WWDR", now.minusSeconds(86_400 * 400),
				now.plusSeconds(86_400 * 400));
		DevelopmentCredentials.Issued expired = DevelopmentCredentials.passCertificate(ca, "pass.x", "T",
				now.minusSeconds(86_400 * 400), now.minusSeconds(86_400));
		assertThatThrownBy(() -> new WalletCredentials(expired.certificate(), expired.key(), ca.certificate(),
				(java.security.interfaces.RSAPrivateKey) credentials.google.getPrivate(), false, now))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("fidelis.cards.apple.certificate")
				.hasMessageContaining("expired on").hasMessageContaining("renew");
		DevelopmentCredentials.Issued other = DevelopmentCredentials.passCertificate(ca, "pass.x", "T",
				now.minusSeconds(60), now.plusSeconds(86_400));
		assertThatThrownBy(() -> new WalletCredentials(other.certificate(), credentials.pass.key(), ca.certificate(),
				(java.security.interfaces.RSAPrivateKey) credentials.google.getPrivate(), false, now))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("does not belong");
	}

	@Test
	void credentials_load_from_pem_streams() {
		var pem = new org.springframework.core.io.ByteArrayResource(
				credentials.pass.certificatePem().getBytes(StandardCharsets.US_ASCII));
		var key = new org.springframework.core.io.ByteArrayResource(credentials.pass.keyPem().getBytes(StandardCharsets.US_ASCII));
		assertThat(WalletCredentials.certificate("c", pem)).isEqualTo(credentials.pass.certificate());
		assertThat(WalletCredentials.privateKey("k", key).getEncoded()).isEqualTo(credentials.pass.key().getEncoded());
		assertThatThrownBy(() -> WalletCredentials.privateKey("fidelis.cards.apple.private-key", pem))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("fidelis.cards.apple.private-key");
	}

	static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}
}
