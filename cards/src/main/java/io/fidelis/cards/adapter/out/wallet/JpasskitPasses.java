package io.fidelis.cards.adapter.out.wallet;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;

import de.brendamour.jpasskit.PKBarcode;
import de.brendamour.jpasskit.PKField;
import de.brendamour.jpasskit.PKFieldBuilder;
import de.brendamour.jpasskit.PKPass;
import de.brendamour.jpasskit.enums.PKBarcodeFormat;
import de.brendamour.jpasskit.enums.PKPassType;
import de.brendamour.jpasskit.passes.PKGenericPass;
import io.fidelis.cards.application.ApplePasses;
import io.fidelis.cards.domain.CardBack;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.CardWords;
import io.fidelis.cards.domain.CardPlace;
import io.fidelis.cards.domain.WalletCard;

/**
 * Store-card passes built with jpasskit and signed by {@link PassArchives}. Images and the English and French strings
 * come from the classpath (so they work inside the jar), a program's own images replace them.
 * jpasskit's {@code build()} does not validate, so every pass is checked before it is signed.
 */
public class JpasskitPasses implements ApplePasses {

	static final List<String> IMAGES = List.of("icon.png", "icon@2x.png", "logo.png", "logo@2x.png", "strip.png",
			"strip@2x.png");

	private final String passTypeIdentifier;
	private final String teamIdentifier;
	private final URL webServiceUrl;
	/** pass.json as jpasskit 0.5.0 writes it (its signer's writer, configured alike), without non-Apple keys. */
	private final com.fasterxml.jackson.databind.ObjectWriter json = passJson();
	private final PassArchives archives;


	/**
	 * jpasskit writes {@code associatedApps} (PassWallet's, an Android app) into every pass.json,
	 * as an empty list: not a key of Apple's pass.json reference, so it is left out.
	 */
	@com.fasterxml.jackson.annotation.JsonIgnoreProperties({ "associatedApps" })
	private abstract static class OnlyApplesKeys {
	}
	private final Map<String, byte[]> standardFiles;
	private final Map<CardDesign, PassArchives.Files> templates = new ConcurrentHashMap<>();

	public JpasskitPasses(String passTypeIdentifier, String teamIdentifier, String publicUrl,
			WalletCredentials credentials) {
		this.passTypeIdentifier = passTypeIdentifier;
		this.teamIdentifier = teamIdentifier;
		try {
			this.webServiceUrl = URI.create(publicUrl + "/passkit").toURL();
		}
		catch (MalformedURLException | IllegalArgumentException e) {
			throw new IllegalStateException("fidelis.cards.public-url is not a URL: " + publicUrl, e);
		}
		this.archives = new PassArchives(credentials.passKey(), credentials.passCertificate(), credentials.wwdr());
		this.standardFiles = new java.util.LinkedHashMap<>();
		for (String image : IMAGES) {
			standardFiles.put(image, read("cards/pass/" + image));
		}
	}

	private static com.fasterxml.jackson.databind.ObjectWriter passJson() {
		com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
				.addMixIn(PKPass.class, OnlyApplesKeys.class)
				.configure(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
				.setDateFormat(new com.fasterxml.jackson.databind.util.StdDateFormat());
		mapper.configOverride(java.util.Date.class)
				.setFormat(com.fasterxml.jackson.annotation.JsonFormat.Value.forPattern("yyyy-MM-dd'T'HH:mm:ssXXX"));
		return mapper.setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
				.registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule()).writer();
	}

	@Override
	public String passTypeIdentifier() {
		return passTypeIdentifier;
	}

	@Override
	public byte[] write(WalletCard card, CardDesign design, List<CardPlace> places) {
		PKPass pass = pass(card, design, places);
		List<String> problems = validationErrors(pass);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Pass " + card.serialNumber() + " is not valid: " + problems);
		}
		try {
			return archives.write(json.writeValueAsBytes(pass), template(design));
		}
		catch (IOException | RuntimeException e) {
			throw new IllegalStateException("Signing pass " + card.serialNumber() + " failed: " + e.getMessage(), e);
		}
	}

	/** jpasskit's own checks, plus what Wallet needs that it does not check. */
	static List<String> validationErrors(PKPass pass) {
		List<String> problems = new ArrayList<>(PKPass.builder(pass).getValidationErrors());
		if (pass.getAuthenticationToken() == null || pass.getAuthenticationToken().length() < 16) {
			problems.add("authenticationToken must have at least 16 characters");
		}
		return problems;
	}

	PKPass pass(WalletCard card, CardDesign design, List<CardPlace> places) {
		List<PKField> header = new ArrayList<>(List.of(field("tier", "tier", card.tier() == null ? "no_tier" : card.tier())
				.changeMessage("tier_changed").build()));
		if (card.status() == WalletCard.CardStatus.SUSPENDED) {
			// on the front, and the phone says so when it happens
			header.add(field("status", "status", "suspended").changeMessage("suspended_changed").build());
		}
		List<PKField> primary = List.of(PKField.builder().key("balance").label("balance").value(card.available())
				.changeMessage("balance_changed").build());
		List<PKField> secondary = new ArrayList<>();
		if (card.memberName() != null) {
			secondary.add(field("member", "member", card.memberName()).build());
		}
		secondary.add(PKField.builder().key("expiring").label("expiring").value(card.expiringSoon()).build());
		List<PKField> auxiliary = List.of(PKField.builder().key("pending").label("pending").value(card.pending()).build());
		List<PKField> back = new ArrayList<>();
		if (card.cardNumber() != null) {
			back.add(field("card_number", "card_number", grouped(card.cardNumber())).build());
		}
		if (card.expiringSoon() > 0 && card.expiringFirst() != null) {
			// when the soonest of the expiring points go: the phone shows the date in its own language
			back.add(PKField.builder().key("expires_on").label("expires_on").value(card.expiringFirst())
					.dateStyle(de.brendamour.jpasskit.enums.PKDateStyle.PKDateStyleMedium).build());
		}
		if (card.ended()) {
			back.add(field("status", "status", "voided").build());
		}
		// the program's own words: its text, terms, website and phone (the phone makes the last two tappable)
		CardBack program = design.back();
		if (program.about() != null) {
			back.add(field("about", "about", program.about()).build());
		}
		if (program.website() != null) {
			back.add(field("website", "website", program.website())
					.dataDetectorTypes(List.of(de.brendamour.jpasskit.enums.PKDataDetectorType.PKDataDetectorTypeLink)).build());
		}
		if (program.phone() != null) {
			back.add(field("phone", "phone", program.phone())
					.dataDetectorTypes(List.of(de.brendamour.jpasskit.enums.PKDataDetectorType.PKDataDetectorTypePhoneNumber))
					.build());
		}
		if (program.terms() != null) {
			back.add(field("terms", "terms", program.terms()).build());
		}
		var builder = PKPass.builder().formatVersion(1).passTypeIdentifier(passTypeIdentifier)
				.serialNumber(card.serialNumber()).teamIdentifier(teamIdentifier)
				.organizationName(design.organizationName()).description(design.description())
				.logoText(design.logoText()).backgroundColor(CardDesign.rgb(design.backgroundColor()))
				.foregroundColor(CardDesign.rgb(design.foregroundColor()))
				.labelColor(CardDesign.rgb(design.labelColor())).webServiceURL(webServiceUrl)
				.authenticationToken(card.authenticationToken()).voided(card.ended())
				.pass(PKGenericPass.builder().passType(PKPassType.PKStoreCard).headerFields(header)
						.primaryFields(primary).secondaryFields(secondary).auxiliaryFields(auxiliary).backFields(back));
		if (!places.isEmpty() && card.active()) {
			// the lock screen offers the card near the program's stores (an ended card never comes up)
			builder.locations(places.stream().limit(CardPlace.MOST).map(p -> de.brendamour.jpasskit.PKLocation.builder()
					.latitude(p.latitude()).longitude(p.longitude()).relevantText(p.name()).build()).toList());
		}
		if (program.sharingProhibited()) {
			builder.sharingProhibited(true);
		}
		if (program.appLaunchUrl() != null) {
			builder.appLaunchURL(program.appLaunchUrl());
		}
		if (!program.appStoreIds().isEmpty()) {
			builder.associatedStoreIdentifiers(program.appStoreIds());
		}
		if (card.cardNumber() != null && card.active()) {
			builder.barcodeBuilder(PKBarcode.builder().format(format(design.barcodeFormat())).message(card.cardNumber())
					.messageEncoding("iso-8859-1").altText(grouped(card.cardNumber())));
		}
		return builder.build();
	}

	private static PKFieldBuilder field(String key, String label, String value) {
		return PKField.builder().key(key).label(label).value(value);
	}

	/** 7012 3456 7890 1234: how a person reads a card number out. */
	static String grouped(String number) {
		return number.replaceAll("(.{4})(?!$)", "$1 ");
	}

	static PKBarcodeFormat format(CardDesign.BarcodeFormat format) {
		return switch (format) {
			case QR -> PKBarcodeFormat.PKBarcodeFormatQR;
			case CODE128 -> PKBarcodeFormat.PKBarcodeFormatCode128;
			case PDF417 -> PKBarcodeFormat.PKBarcodeFormatPDF417;
			case AZTEC -> PKBarcodeFormat.PKBarcodeFormatAztec;
		};
	}

	/**
	 * The design's files with their digests, prepared once per design: its images, and a
	 * pass.strings per language (English, French and the program's own), Fidelis' words in that
	 * language (English where Fidelis has none) with the program's in their place.
	 */
	private PassArchives.Files template(CardDesign design) {
		return templates.computeIfAbsent(design, d -> {
			if (templates.size() > 1_000) {
				templates.clear(); // designs change rarely; this only bounds a pathological churn
			}
			Map<String, byte[]> files = new java.util.LinkedHashMap<>();
			standardFiles.forEach((name, standard) -> files.put(name, own(d, name, standard)));
			for (String language : CardWords.languages(d)) {
				files.put(language + ".lproj/pass.strings", strings(CardWords.of(d, language)));
			}
			return PassArchives.Files.of(files);
		});
	}

	/** {@code "key" = "value";} lines, as Apple's .strings files have them. */
	static byte[] strings(Map<String, String> words) {
		StringBuilder out = new StringBuilder();
		words.forEach((key, value) -> out.append('"').append(key).append("\" = \"")
				.append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\";\n"));
		return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/** The words of a .strings file of ours, by key. */
	static Map<String, String> words(byte[] strings) {
		return CardWords.parse(strings);
	}

	/** The program's own image where it gave one (used for both resolutions), Fidelis' otherwise. */
	private static byte[] own(CardDesign design, String file, byte[] standard) {
		byte[] own = file.startsWith("logo") ? design.logo() : file.startsWith("icon") ? design.icon()
				: file.startsWith("strip") ? design.strip() : null;
		return own == null ? standard : own;
	}

	private static byte[] read(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new IllegalStateException("Missing pass template file " + path, e);
		}
	}
}
