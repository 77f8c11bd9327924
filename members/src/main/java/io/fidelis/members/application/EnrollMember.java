package io.fidelis.members.application;

import java.util.HexFormat;
import java.util.Objects;

import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.PhoneNumber;

/**
 * A request to enroll a person into a program. It validates itself on creation, so a use case
 * only ever sees well-formed input.
 *
 * @param idempotencyKey chosen by the caller; a retry with the same key and input returns the first result
 * @param referralCode   the code of the member who referred this person, when they give one
 * @param deviceId       the app installation or till the person enrolls from, when the caller says
 * @param paymentCard    the fingerprint of the person's payment card from the payment provider, when known
 */
public record EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
		boolean marketingOptIn, String termsVersion, String idempotencyKey, String externalId,
		io.fidelis.members.domain.CardNumber physicalCard, java.time.LocalDate birthDate,
		io.fidelis.members.domain.ReferralCode referralCode, String deviceId, String paymentCard) {

	/** Enrollment that gives no device or payment card. */
	public EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			boolean marketingOptIn, String termsVersion, String idempotencyKey, String externalId,
			io.fidelis.members.domain.CardNumber physicalCard, java.time.LocalDate birthDate,
			io.fidelis.members.domain.ReferralCode referralCode) {
		this(programId, email, name, phone, marketingOptIn, termsVersion, idempotencyKey, externalId, physicalCard,
				birthDate, referralCode, null, null);
	}

	/** Enrollment that names no referrer. */
	public EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			boolean marketingOptIn, String termsVersion, String idempotencyKey, String externalId,
			io.fidelis.members.domain.CardNumber physicalCard, java.time.LocalDate birthDate) {
		this(programId, email, name, phone, marketingOptIn, termsVersion, idempotencyKey, externalId, physicalCard,
				birthDate, null);
	}

	public EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			boolean marketingOptIn, String termsVersion, String idempotencyKey, String externalId,
			io.fidelis.members.domain.CardNumber physicalCard) {
		this(programId, email, name, phone, marketingOptIn, termsVersion, idempotencyKey, externalId, physicalCard, null);
	}

	/** Enrollment with a newly drawn card number (no physical card handed over). */
	public EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			boolean marketingOptIn, String termsVersion, String idempotencyKey, String externalId) {
		this(programId, email, name, phone, marketingOptIn, termsVersion, idempotencyKey, externalId, null, null);
	}

	public EnrollMember(ProgramId programId, EmailAddress email, String name, PhoneNumber phone, boolean marketingOptIn,
			String termsVersion, String idempotencyKey) {
		this(programId, email, name, phone, marketingOptIn, termsVersion, idempotencyKey, null);
	}

	public EnrollMember {
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(email, "email");
		if (name == null || name.isBlank() || name.strip().length() > 200) {
			throw new InvalidInput("name", "name must be 1 to 200 characters");
		}
		name = name.strip();
		if (termsVersion == null || termsVersion.isBlank() || termsVersion.length() > 40) {
			throw new InvalidInput("termsVersion", "termsVersion (the version of the terms accepted) must be 1 to 40 characters");
		}
		externalId = io.fidelis.members.domain.Member.externalId(externalId);
		deviceId = fingerprint("deviceId", deviceId);
		paymentCard = fingerprint("paymentFingerprint", paymentCard);
		if (idempotencyKey == null || !idempotencyKey.matches("[A-Za-z0-9._:-]{8,128}")) {
			throw new InvalidInput("idempotencyKey",
					"idempotencyKey must be 8 to 128 letters, digits or . _ : - (a UUID works well)");
		}
	}

	private static String fingerprint(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String stripped = value.strip();
		if (stripped.length() > 200 || !stripped.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw new InvalidInput(field, field + " is 1 to 200 printable ASCII characters without spaces");
		}
		return stripped;
	}

	/** A digest of what was asked, to tell a retry from a different request reusing the key. */
	String fingerprint() {
		String canonical = String.join("\u0000", programId.value(), email.value(), name,
				phone == null ? "" : phone.value(), Boolean.toString(marketingOptIn), termsVersion,
				externalId == null ? "" : externalId, physicalCard == null ? "" : physicalCard.value(),
				birthDate == null ? "" : birthDate.toString())
				// only when given, so that a retry across the upgrade that added it still matches
				+ (referralCode == null ? "" : "\u0000referral:" + referralCode.value())
				+ (deviceId == null ? "" : "\u0000device:" + deviceId)
				+ (paymentCard == null ? "" : "\u0000payment:" + paymentCard);
		try {
			var digest = java.security.MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		}
		catch (java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
