package io.fidelis.members.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * The code a member hands to friends so that their enrollment names them: ten characters of
 * Crockford's base 32 (digits and letters without I, L, O and U), so that it survives being read
 * aloud or typed at a till. It is drawn from the member's id, so it needs no counter; a code that
 * another member of the program already holds (one chance in about 10^15 per pair) is drawn again
 * with the next {@code attempt}.
 */
public record ReferralCode(String value) {

	static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	static final int LENGTH = 10;

	public ReferralCode {
		if (value == null || value.length() != LENGTH || !value.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
			throw new InvalidInput("referralCode", "A referral code is " + LENGTH + " letters and digits");
		}
	}

	/** The member's code in the program; {@code attempt} counts draws after a clash. */
	public static ReferralCode of(ProgramId program, MemberId member, int attempt) {
		byte[] digest;
		try {
			digest = MessageDigest.getInstance("SHA-256")
					.digest((program.value() + "|" + member.value() + "|" + attempt).getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
		long bits = 0;
		for (int i = 0; i < 8; i++) {
			bits = bits << 8 | (digest[i] & 0xff);
		}
		StringBuilder code = new StringBuilder(LENGTH);
		for (int i = 0; i < LENGTH; i++) {
			code.append(ALPHABET.charAt((int) (bits >>> (59 - 5 * i)) & 31));
		}
		return new ReferralCode(code.toString());
	}

	/**
	 * A code as a person typed it: spaces and dashes dropped, any letter case, and the letters
	 * Crockford's alphabet reads as digits (O as 0, I and L as 1).
	 */
	public static ReferralCode typed(String text) {
		if (text == null || text.length() > 40) {
			throw new InvalidInput("referralCode", "A referral code is " + LENGTH + " letters and digits");
		}
		String cleaned = text.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "").replace('O', '0').replace('I', '1')
				.replace('L', '1');
		return new ReferralCode(cleaned);
	}

	/** As shown to people: two groups of five. */
	public String display() {
		return value.substring(0, 5) + "-" + value.substring(5);
	}
}
