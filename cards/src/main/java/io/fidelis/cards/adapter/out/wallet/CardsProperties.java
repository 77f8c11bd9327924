package io.fidelis.cards.adapter.out.wallet;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * {@code fidelis.cards.*}: where the wallets find Fidelis, and the certificates and keys it signs
 * with. Certificates and keys are resources ({@code file:}, {@code classpath:}), read as streams so
 * that they work from inside the jar. Without them, development generates throw-away ones.
 */
@ConfigurationProperties("fidelis.cards")
public record CardsProperties(String publicUrl, String linkSecret, Boolean generateDevelopmentCredentials, Apple apple,
		Google google) {

	public CardsProperties {
		publicUrl = publicUrl == null || publicUrl.isBlank() ? "http://localhost:8080" : publicUrl.replaceAll("/+$", "");
		generateDevelopmentCredentials = generateDevelopmentCredentials == null || generateDevelopmentCredentials;
		apple = apple == null ? new Apple(null, null, null, null, null, null, null) : apple;
		google = google == null ? new Google(null, null, null, null, null, null, null) : google;
	}

	/**
	 * @param certificate the Pass Type ID certificate (PEM), or a PKCS#12 file with its key ({@code .p12})
	 * @param privateKey its private key (PEM, PKCS#8 or PKCS#1), unless the certificate is a .p12
	 * @param wwdrCertificate Apple's WWDR intermediate (PEM or DER)
	 */
	public record Apple(String passTypeIdentifier, String teamIdentifier, Resource certificate, Resource privateKey,
			String keyPassword, Resource wwdrCertificate, Apns apns) {

		public Apple {
			passTypeIdentifier = passTypeIdentifier == null ? "pass.io.fidelis.dev" : passTypeIdentifier;
			teamIdentifier = teamIdentifier == null ? "FIDELISDEV" : teamIdentifier;
			apns = apns == null ? new Apns(false, null, null, null, null, null) : apns;
		}
	}

	/**
	 * @param trustedServerCertificate only to trust a test or proxy APNs server; Apple's is trusted anyway
	 * @param signingKey an APNs authentication key ({@code AuthKey_<key id>.p8}) of the team that owns the
	 *        pass type: pushes then carry a token signed with it instead of the Pass Type ID certificate
	 * @param keyId that key's id (ten characters, as Apple's developer account shows it)
	 *        <p>One constructor only: configuration binds a record through its only constructor.
	 */
	public record Apns(boolean enabled, String host, Integer port, Resource trustedServerCertificate,
			Resource signingKey, String keyId) {

		public Apns {
			host = host == null ? "api.push.apple.com" : host;
			port = port == null ? 443 : port;
			if (signingKey != null && (keyId == null || !keyId.strip().matches("[A-Z0-9]{10}"))) {
				throw new IllegalStateException("fidelis.cards.apple.apns.key-id must be the signing key's id: ten "
						+ "letters and digits, not '" + keyId + "'");
			}
		}
	}

	/**
	 * @param issuerId the Google Wallet issuer id; class ids are {@code issuerId.programId}
	 * @param updatesEnabled keep objects current through the REST API (needs a real issuer account)
	 */
	public record Google(String issuerId, String serviceAccountEmail, Resource privateKey, List<String> origins,
			Boolean updatesEnabled, String apiUrl, String tokenUrl) {

		public Google {
			issuerId = issuerId == null ? "3388000000000000000" : issuerId;
			serviceAccountEmail = serviceAccountEmail == null ? "fidelis-dev@fidelis-dev.iam.gserviceaccount.com"
					: serviceAccountEmail;
			origins = origins == null ? List.of() : List.copyOf(origins);
			updatesEnabled = updatesEnabled != null && updatesEnabled;
			apiUrl = apiUrl == null ? "https://walletobjects.googleapis.com/walletobjects/v1" : apiUrl.replaceAll("/+$", "");
			tokenUrl = tokenUrl == null ? "https://oauth2.googleapis.com/token" : tokenUrl;
		}
	}
}
