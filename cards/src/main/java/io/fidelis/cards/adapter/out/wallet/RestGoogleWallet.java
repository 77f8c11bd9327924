package io.fidelis.cards.adapter.out.wallet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.fidelis.cards.application.GoogleWallet;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google Wallet loyalty cards: "Save to Google Wallet" links as RS256-signed JWTs, and objects
 * kept current through the Wallet REST API with an OAuth token the service account obtains with
 * its own signed assertion (the JWT bearer grant).
 */
public class RestGoogleWallet implements GoogleWallet {

	private static final Logger log = LoggerFactory.getLogger(RestGoogleWallet.class);

	/** Longer save links fail in some browsers; Google's guidance is to insert the object first. */
	static final int MAX_LINK = 1800;
	static final String SAVE_URL = "https://pay.google.com/gp/v/save/";
	static final String SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer";

	private final CardsProperties.Google settings;
	private final WalletCredentials credentials;
	private final String publicUrl;
	private final Clock clock;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private final JsonMapper json = JsonMapper.builder().build();
	private volatile String accessToken;
	private volatile Instant accessTokenUntil = Instant.EPOCH;

	public RestGoogleWallet(CardsProperties.Google settings, WalletCredentials credentials, String publicUrl, Clock clock) {
		this.settings = settings;
		this.credentials = credentials;
		this.publicUrl = publicUrl;
		this.clock = clock;
	}

	@Override
	public boolean updatesEnabled() {
		return settings.updatesEnabled();
	}

	@Override
	public String saveUrl(WalletCard card, CardDesign design) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("loyaltyClasses", List.of(loyaltyClass(design)));
		payload.put("loyaltyObjects", List.of(loyaltyObject(card, design)));
		String url = SAVE_URL + saveJwt(payload);
		if (url.length() <= MAX_LINK) {
			return url;
		}
		if (!settings.updatesEnabled()) {
			log.warn("The save link for {} has {} characters (over {}) and REST updates are off to insert it first",
					card.serialNumber(), url.length(), MAX_LINK);
			return url;
		}
		update(card, design); // inserts the class and object when they are missing
		payload = Map.of("loyaltyObjects", List.of(Map.of("id", objectId(card), "classId", classId(design))));
		return SAVE_URL + saveJwt(payload);
	}

	@Override
	public void update(WalletCard card, CardDesign design) {
		Map<String, Object> object = loyaltyObject(card, design);
		HttpResponse<String> patched = send("PATCH", "/loyaltyObject/" + objectId(card), object);
		if (patched.statusCode() / 100 == 2) {
			return;
		}
		if (patched.statusCode() != 404) {
			throw new IllegalStateException("Google Wallet answered " + patched.statusCode() + " to a PATCH of "
					+ objectId(card) + ": " + abbreviated(patched.body()));
		}
		HttpResponse<String> classAnswer = send("POST", "/loyaltyClass", loyaltyClass(design));
		if (classAnswer.statusCode() / 100 != 2 && classAnswer.statusCode() != 409) {
			throw new IllegalStateException("Google Wallet answered " + classAnswer.statusCode()
					+ " to inserting class " + classId(design) + ": " + abbreviated(classAnswer.body()));
		}
		HttpResponse<String> inserted = send("POST", "/loyaltyObject", object);
		if (inserted.statusCode() == 409) {
			inserted = send("PATCH", "/loyaltyObject/" + objectId(card), object); // inserted meanwhile
		}
		if (inserted.statusCode() / 100 != 2) {
			throw new IllegalStateException("Google Wallet answered " + inserted.statusCode() + " to inserting "
					+ objectId(card) + ": " + abbreviated(inserted.body()));
		}
	}

	@Override
	public void updateClass(CardDesign design) {
		Map<String, Object> loyaltyClass = loyaltyClass(design);
		loyaltyClass.remove("reviewStatus"); // a class's review is Google's once it was inserted
		HttpResponse<String> patched = send("PATCH", "/loyaltyClass/" + classId(design), loyaltyClass);
		if (patched.statusCode() == 404) {
			patched = send("POST", "/loyaltyClass", loyaltyClass(design));
			if (patched.statusCode() == 409) {
				patched = send("PATCH", "/loyaltyClass/" + classId(design), loyaltyClass); // inserted meanwhile
			}
		}
		if (patched.statusCode() / 100 != 2) {
			throw new IllegalStateException("Google Wallet answered " + patched.statusCode() + " to updating class "
					+ classId(design) + ": " + abbreviated(patched.body()));
		}
	}

	/**
	 * {@code fields} with a label named {@code field}: the program's English word, or Fidelis', and
	 * {@code localized<Field>} with its words in every language it gave one (Google shows the
	 * phone's language where it has it).
	 */
	static Map<String, Object> labelled(CardDesign design, String key, String english, String field,
			Map<String, Object> fields) {
		Map<String, Object> labelled = new LinkedHashMap<>(fields);
		String label = design.word("en", key).orElse(english);
		labelled.put(field, label);
		List<Map<String, String>> translated = design.languages().stream().filter(l -> l.words().containsKey(key))
				.filter(l -> !l.language().equals("en"))
				.map(l -> Map.of("language", l.language(), "value", l.words().get(key))).toList();
		if (!translated.isEmpty()) {
			labelled.put("localized" + Character.toUpperCase(field.charAt(0)) + field.substring(1), Map.of("defaultValue",
					Map.of("language", "en", "value", label), "translatedValues", translated));
		}
		return labelled;
	}

	String classId(CardDesign design) {
		return settings.issuerId() + "." + design.programId().replaceAll("[^A-Za-z0-9._-]", "_");
	}

	String objectId(WalletCard card) {
		return settings.issuerId() + "." + card.serialNumber();
	}

	/** Per design, what its Google logo is drawn from: a new logo or colour is a new address, which Google fetches. */
	private final Map<CardDesign, String> logoVersions = new java.util.concurrent.ConcurrentHashMap<>();

	private String logoVersion(CardDesign design) {
		return logoVersions.computeIfAbsent(design, d -> {
			if (logoVersions.size() > 1_000) {
				logoVersions.clear(); // designs change rarely; this only bounds a pathological churn
			}
			try {
				java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
				sha.update(d.backgroundColor().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
				byte[] image = d.squareLogo() != null ? d.squareLogo() : d.logo();
				if (image != null) {
					sha.update(image);
				}
				return java.util.HexFormat.of().formatHex(sha.digest(), 0, 6);
			}
			catch (java.security.NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		});
	}

	Map<String, Object> loyaltyClass(CardDesign design) {
		Map<String, Object> c = new LinkedHashMap<>();
		c.put("id", classId(design));
		c.put("issuerName", design.organizationName());
		c.put("programName", design.description());
		c.put("programLogo", Map.of("sourceUri", Map.of("uri", publicUrl + "/cards/images/" + design.programId()
				+ "/google-logo.png?v=" + logoVersion(design))));
		c.put("hexBackgroundColor", design.backgroundColor());
		// the program's own words, on every card of the class (a PATCH replaces both lists whole)
		List<Map<String, Object>> texts = new ArrayList<>();
		if (design.back().about() != null) {
			texts.add(Map.of("id", "about", "header", "About", "body", design.back().about()));
		}
		if (design.back().terms() != null) {
			texts.add(Map.of("id", "terms", "header", "Terms", "body", design.back().terms()));
		}
		c.put("textModulesData", texts);
		List<Map<String, Object>> links = new ArrayList<>();
		if (design.back().website() != null) {
			links.add(Map.of("id", "website", "uri", design.back().website(), "description", "Website"));
		}
		if (design.back().phone() != null) {
			links.add(Map.of("id", "phone", "uri", "tel:" + design.back().phone().replaceAll("[^+0-9]", ""),
					"description", design.back().phone()));
		}
		c.put("linksModuleData", Map.of("uris", links));
		c.put("reviewStatus", "UNDER_REVIEW");
		return c;
	}

	Map<String, Object> loyaltyObject(WalletCard card, CardDesign design) {
		Map<String, Object> o = new LinkedHashMap<>();
		o.put("id", objectId(card));
		o.put("classId", classId(design));
		o.put("state", card.active() ? "ACTIVE" : "INACTIVE");
		// Google keeps what a PATCH leaves out: an erased member's name and number are sent empty
		o.put("accountId", card.cardNumber() == null ? "" : card.cardNumber());
		o.put("accountName", card.memberName() == null ? "" : card.memberName());
		o.put("loyaltyPoints", labelled(design, "balance", "Points", "label", Map.of("balance", balance(card.available()))));
		o.put("secondaryLoyaltyPoints", labelled(design, "expiring", "Expiring within 30 days", "label",
				Map.of("balance", balance(card.expiringSoon()))));
		if (card.cardNumber() != null && card.active()) {
			o.put("barcode", Map.of("type", barcodeType(design.barcodeFormat()), "value", card.cardNumber(),
					"alternateText", JpasskitPasses.grouped(card.cardNumber())));
		}
		else if (card.cardNumber() == null) {
			o.put("barcode", Map.of("type", barcodeType(design.barcodeFormat()), "value", "", "alternateText", ""));
		}
		List<Map<String, Object>> modules = new ArrayList<>();
		modules.add(labelled(design, "tier", "Tier", "header", Map.of("id", "tier", "body",
				card.tier() == null ? design.word("en", "no_tier").orElse("Member") : card.tier())));
		if (card.pending() > 0) {
			modules.add(labelled(design, "pending", "Pending points", "header",
					Map.of("id", "pending", "body", Long.toString(card.pending()))));
		}
		if (card.status() == WalletCard.CardStatus.SUSPENDED) { // the whole list is replaced: gone once active again
			modules.add(Map.of("id", "status", "header", "Status", "body", "Suspended: ask the program to lift it"));
		}
		if (card.expiringSoon() > 0 && card.expiringFirst() != null) { // when the soonest of the expiring points go
			modules.add(labelled(design, "expires_on", "Next points expire on", "header", Map.of("id", "expires_on", "body",
					card.expiringFirst().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString())));
		}
		o.put("textModulesData", modules);
		return o;
	}

	static String barcodeType(CardDesign.BarcodeFormat format) {
		return switch (format) {
			case QR -> "QR_CODE";
			case CODE128 -> "CODE_128";
			case PDF417 -> "PDF_417";
			case AZTEC -> "AZTEC";
		};
	}

	String saveJwt(Map<String, Object> payload) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(settings.serviceAccountEmail()).audience("google")
				.claim("typ", "savetowallet").issueTime(Date.from(clock.instant())).claim("origins", settings.origins())
				.claim("payload", payload).build();
		return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
	}

	private String sign(JWSHeader header, JWTClaimsSet claims) {
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(new RSASSASigner(credentials.googleKey()));
		}
		catch (JOSEException e) {
			throw new IllegalStateException("Signing a Google Wallet JWT failed: " + e.getMessage(), e);
		}
		return jwt.serialize();
	}

	private HttpResponse<String> send(String method, String path, Map<String, Object> body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(settings.apiUrl() + path)).timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + accessToken()).header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
		HttpResponse<String> answer = call(request);
		if (answer.statusCode() == 429 || answer.statusCode() == 503) {
			throw new Busy("Google Wallet answered " + answer.statusCode() + " to " + method + " " + path + ": "
					+ abbreviated(answer.body()), retryAfter(answer));
		}
		return answer;
	}

	/** Retry-After in seconds (the form Google sends); zero when absent or not a number of seconds. */
	static Duration retryAfter(HttpResponse<?> answer) {
		return answer.headers().firstValue("Retry-After").map(String::strip).filter(v -> v.matches("[0-9]{1,6}"))
				.map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(Duration.ZERO);
	}

	/** A service-account token, fetched again a minute before it expires. */
	private String accessToken() {
		Instant now = clock.instant();
		if (accessToken != null && now.isBefore(accessTokenUntil)) {
			return accessToken;
		}
		synchronized (this) {
			if (accessToken != null && now.isBefore(accessTokenUntil)) {
				return accessToken;
			}
			JWTClaimsSet assertion = new JWTClaimsSet.Builder().issuer(settings.serviceAccountEmail())
					.audience(settings.tokenUrl()).claim("scope", SCOPE).issueTime(Date.from(now))
					.expirationTime(Date.from(now.plusSeconds(3600))).build();
			String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
					+ "&assertion=" + sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), assertion);
			HttpResponse<String> answer = call(HttpRequest.newBuilder(URI.create(settings.tokenUrl()))
					.timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form)).build());
			if (answer.statusCode() != 200) {
				throw new IllegalStateException("Google's token endpoint answered " + answer.statusCode() + ": "
						+ abbreviated(answer.body()));
			}
			Map<?, ?> token = json.readValue(answer.body(), Map.class);
			long expiresIn = token.get("expires_in") instanceof Number n ? n.longValue() : 3600;
			accessToken = String.valueOf(token.get("access_token"));
			accessTokenUntil = now.plusSeconds(Math.max(0, expiresIn - 60));
			return accessToken;
		}
	}

	private HttpResponse<String> call(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new IllegalStateException("Google Wallet could not be reached: " + e.getMessage(), e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling Google Wallet", e);
		}
	}

	private static String abbreviated(String body) {
		return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

	/** Google's {@code int} balance is 32 bits: a larger one (a bank's or an airline's) goes as its {@code string}. */
	static Map<String, Object> balance(long points) {
		return points == (int) points ? Map.of("int", (int) points) : Map.of("string", Long.toString(points));
	}
}
