package io.fidelis.members;

import java.time.Instant;

/**
 * A member as the API shows them. It is the source object of the GraphQL {@code Member} type, so
 * that other modules can add fields to it (e.g. {@code Member.points}) without seeing the members
 * module's internals.
 */
public record MemberProfile(MemberId memberId, ProgramId programId, String email, String name, String phone,
		String externalId, String cardNumber, String status, boolean marketingOptIn, String termsVersion,
		Instant consentRecordedAt, EnrollmentChannel channel, Instant enrolledAt, long version,
		java.time.LocalDate birthDate) {

	public MemberProfile(MemberId memberId, ProgramId programId, String email, String name, String phone,
			String externalId, String cardNumber, String status, boolean marketingOptIn, String termsVersion,
			Instant consentRecordedAt, EnrollmentChannel channel, Instant enrolledAt, long version) {
		this(memberId, programId, email, name, phone, externalId, cardNumber, status, marketingOptIn, termsVersion,
				consentRecordedAt, channel, enrolledAt, version, null);
	}
}
