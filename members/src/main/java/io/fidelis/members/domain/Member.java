package io.fidelis.members.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * A person enrolled in one program.
 *
 * @param externalId the member's id in the program's CRM, when it has one
 * @param subject    the member's identity at the OIDC issuer, when they signed up themselves
 * @param enrolledBy the caller key that enrolled them (member, integration client or staff)
 * @param version    grows by one with every change, for optimistic concurrency
 * @param referredBy the member whose referral code their enrollment gave, when it gave one
 */
public record Member(MemberId id, ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
		String externalId, CardNumber cardNumber, MemberStatus status, Consent consent, EnrollmentChannel channel,
		String enrolledBy, String subject, Instant enrolledAt, long version, java.time.LocalDate birthDate,
		MemberId referredBy) {

	/** A member nobody referred. */
	public Member(MemberId id, ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			String externalId, CardNumber cardNumber, MemberStatus status, Consent consent, EnrollmentChannel channel,
			String enrolledBy, String subject, Instant enrolledAt, long version, java.time.LocalDate birthDate) {
		this(id, programId, email, name, phone, externalId, cardNumber, status, consent, channel, enrolledBy, subject,
				enrolledAt, version, birthDate, null);
	}

	/** A member who gave no birth date. */
	public Member(MemberId id, ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
			String externalId, CardNumber cardNumber, MemberStatus status, Consent consent, EnrollmentChannel channel,
			String enrolledBy, String subject, Instant enrolledAt, long version) {
		this(id, programId, email, name, phone, externalId, cardNumber, status, consent, channel, enrolledBy, subject,
				enrolledAt, version, null, null);
	}

	/** A birth date as people give it: in the past, and not more than 130 years ago. */
	public static java.time.LocalDate birthDate(String value, java.time.LocalDate today) {
		if (value == null || value.isBlank()) {
			return null;
		}
		java.time.LocalDate date;
		try {
			date = java.time.LocalDate.parse(value.strip());
		}
		catch (java.time.format.DateTimeParseException e) {
			throw new InvalidInput("birthDate", "birthDate is a date such as 1990-04-17, not '" + value + "'");
		}
		if (!date.isBefore(today) || date.isBefore(today.minusYears(130))) {
			throw new InvalidInput("birthDate", "birthDate must be in the past, at most 130 years ago");
		}
		return date;
	}

	public Member {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(email, "email");
		name = InvalidInput.requireText("name", name, 200);
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(consent, "consent");
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(enrolledBy, "enrolledBy");
		Objects.requireNonNull(enrolledAt, "enrolledAt");
		Objects.requireNonNull(cardNumber, "cardNumber");
		externalId = externalId(externalId);
	}

	public static String externalId(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String stripped = value.strip();
		if (!stripped.matches("[A-Za-z0-9._:@-]{1,100}")) {
			throw new InvalidInput("externalId", "externalId is 1 to 100 letters, digits or . _ : @ -");
		}
		return stripped;
	}

	/** The member after a status change; the lifecycle allows active ↔ suspended, and closing from either. */
	public Optional<Member> becoming(MemberStatus next) {
		if (!status.mayBecome(next)) {
			return Optional.empty();
		}
		return Optional.of(new Member(id, programId, email, name, phone, externalId, cardNumber, next, consent,
				channel, enrolledBy, subject, enrolledAt, version + 1, birthDate, referredBy));
	}

	/** The member with a changed profile; null arguments keep what is there. */
	public Member withProfile(String newName, EmailAddress newEmail, PhoneNumber newPhone, Consent newConsent) {
		return new Member(id, programId, newEmail == null ? email : newEmail, newName == null ? name : newName,
				newPhone == null ? phone : newPhone, externalId, cardNumber, status,
				newConsent == null ? consent : newConsent, channel, enrolledBy, subject, enrolledAt, version + 1, birthDate,
				referredBy);
	}

	/** The member as the API shows them. */
	public io.fidelis.members.MemberProfile profile() {
		return new io.fidelis.members.MemberProfile(id, programId, email.value(), name,
				phoneNumber().map(PhoneNumber::value).orElse(null), externalId, cardNumber.value(), status.name(),
				consent.marketingOptIn(), consent.termsVersion(), consent.recordedAt(), channel, enrolledAt, version, birthDate);
	}

	/** The member with a new card number (the old card was reported lost, stolen or damaged). */
	public Member withCard(CardNumber newCard) {
		return new Member(id, programId, email, name, phone, externalId, newCard, status, consent, channel,
				enrolledBy, subject, enrolledAt, version + 1, birthDate, referredBy);
	}

	public Optional<String> externalReference() {
		return Optional.ofNullable(externalId);
	}

	public Optional<PhoneNumber> phoneNumber() {
		return Optional.ofNullable(phone);
	}

	public Optional<String> selfSubject() {
		return Optional.ofNullable(subject);
	}
}
