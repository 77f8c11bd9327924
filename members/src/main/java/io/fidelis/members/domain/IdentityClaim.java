package io.fidelis.members.domain;

import io.fidelis.members.ProgramId;

/**
 * One fact that can belong to a single member of a program (an email, a phone, an issuer
 * subject) or to a single request (an idempotency key). Claims are how Fidelis refuses a second
 * enrollment of the same person with nothing but exact-key writes.
 */
public record IdentityClaim(String key) {

	public static IdentityClaim email(ProgramId program, EmailAddress email) {
		return new IdentityClaim("email|" + program.value() + "|" + email.value());
	}

	public static IdentityClaim phone(ProgramId program, PhoneNumber phone) {
		return new IdentityClaim("phone|" + program.value() + "|" + phone.value());
	}

	public static IdentityClaim subject(ProgramId program, String subject) {
		return new IdentityClaim("subject|" + program.value() + "|" + subject);
	}

	public static IdentityClaim externalId(ProgramId program, String externalId) {
		return new IdentityClaim("external|" + program.value() + "|" + externalId);
	}

	public static IdentityClaim card(ProgramId program, CardNumber card) {
		return new IdentityClaim("card|" + program.value() + "|" + card.value());
	}

	/**
	 * A card number by its digest: held beside the number's own claim while the number is in use,
	 * and alone once its member's data was erased, so that the number is never issued again while
	 * nothing in the store shows it.
	 */
	public static IdentityClaim cardDigest(ProgramId program, CardNumber card) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
					.digest((program.value() + "|" + card.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return new IdentityClaim("carddigest|" + program.value() + "|" + java.util.HexFormat.of().formatHex(digest));
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** A referral code: whoever holds it is the member a friend's enrollment names. */
	public static IdentityClaim referralCode(ProgramId program, ReferralCode code) {
		return new IdentityClaim("referral|" + program.value() + "|" + code.value());
	}

	/**
	 * A device (an app installation, a till) or a payment card, by a digest of the fingerprint the
	 * caller gave: held by the first member who gave it, so that a friend giving the same one with
	 * that member's referral code is told apart from a new person. Shared devices are allowed: the
	 * claim refuses nobody's enrollment.
	 */
	public static IdentityClaim device(ProgramId program, String fingerprint) {
		return new IdentityClaim("device|" + program.value() + "|" + sha256(program.value() + "|device|" + fingerprint));
	}

	public static IdentityClaim paymentCard(ProgramId program, String fingerprint) {
		return new IdentityClaim("payment|" + program.value() + "|" + sha256(program.value() + "|payment|" + fingerprint));
	}

	private static String sha256(String text) {
		try {
			return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
					.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Whether this claims a card number by its digits (not by digest). */
	public boolean isCard() {
		return key.startsWith("card|");
	}

	/** Whether this claims a request's idempotency key, which is kept for a while, not for good. */
	public boolean isRequest() {
		return key.startsWith("request|");
	}

	public static IdentityClaim idempotencyKey(String callerKey, String idempotencyKey) {
		return new IdentityClaim("request|" + callerKey + "|" + idempotencyKey);
	}

	/** What a person reads when this claim is taken. */
	public String describe() {
		String[] parts = key.split("\\|", 3);
		return switch (parts[0]) {
			case "email" -> "the email " + parts[2];
			case "phone" -> "the phone number " + parts[2];
			case "subject" -> "this sign-in identity";
			case "external" -> "the external id " + parts[2];
			case "card" -> "the card number " + parts[2];
			case "carddigest" -> "this card number";
			case "referral" -> "the referral code " + parts[2];
			case "device" -> "this device";
			case "payment" -> "this payment card";
			default -> "this idempotency key";
		};
	}
}
