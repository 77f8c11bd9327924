package io.fidelis.cards.application;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A short-lived link to download a pass. Wallet apps open it without the member's bearer token,
 * so the link carries its own proof: an HMAC over the serial number and expiry.
 */
public final class DownloadLink {

	public static final Duration LIFETIME = Duration.ofMinutes(15);

	private final byte[] secret;

	public DownloadLink(byte[] secret) {
		if (secret == null || secret.length < 32) {
			throw new IllegalArgumentException("A download link secret has at least 32 bytes");
		}
		this.secret = secret.clone();
	}

	public String signature(String serialNumber, Instant expires) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			byte[] sig = mac.doFinal((serialNumber + "\n" + expires.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	/** True when the link was made by this server for this serial and has not expired. */
	public boolean valid(String serialNumber, long expiresEpochSecond, String signature, Instant now) {
		if (signature == null || serialNumber == null || now.getEpochSecond() > expiresEpochSecond) {
			return false;
		}
		byte[] expected = signature(serialNumber, Instant.ofEpochSecond(expiresEpochSecond))
				.getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
	}
}
