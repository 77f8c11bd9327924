package io.fidelis.members;

import java.time.Instant;

/**
 * A person became a member of a program. Published once per member; listeners must be idempotent.
 *
 * @param referredBy the member whose referral code the enrollment gave, or null
 */
public record MemberEnrolled(MemberId memberId, ProgramId programId, EnrollmentChannel channel, Instant enrolledAt,
		MemberId referredBy) {

	/** An enrollment that named no referrer. */
	public MemberEnrolled(MemberId memberId, ProgramId programId, EnrollmentChannel channel, Instant enrolledAt) {
		this(memberId, programId, channel, enrolledAt, null);
	}
}
