package io.fidelis.members;

import java.time.Instant;

/** A person became a member of a program. Published once per member; listeners must be idempotent. */
public record MemberEnrolled(MemberId memberId, ProgramId programId, EnrollmentChannel channel, Instant enrolledAt) {
}
