package io.fidelis.points.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a text, in hex: what points keys and compares requests by (a movement's or a
 * purchase's input, an idempotency key turned into an id, an import's codes).
 */
public final class Fingerprint {

	private Fingerprint() {
	}

	public static String of(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e); // every JDK has SHA-256
		}
	}
}
