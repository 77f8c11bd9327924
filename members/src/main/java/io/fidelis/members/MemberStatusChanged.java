package io.fidelis.members;

import java.time.Instant;

/** Staff suspended, reactivated or closed a member. {@code status} is ACTIVE, SUSPENDED or CLOSED. */
public record MemberStatusChanged(MemberId memberId, ProgramId programId, String previous, String status,
		String reason, long version, Instant at) {
}
