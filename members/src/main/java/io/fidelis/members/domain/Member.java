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
 * @param subject    the member's identity at the OIDC issuer, when they signed up themselves
 * @param enrolledBy the caller key that enrolled them (member, integration client or staff)
 */
public record Member(MemberId id, ProgramId programId, EmailAddress email, String name, PhoneNumber phone,
		MemberStatus status, Consent consent, EnrollmentChannel channel, String enrolledBy, String subject,
		Instant enrolledAt) {

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
	}

	public Optional<PhoneNumber> phoneNumber() {
		return Optional.ofNullable(phone);
	}

	public Optional<String> selfSubject() {
		return Optional.ofNullable(subject);
	}
}
