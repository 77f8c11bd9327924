package io.fidelis.members;

import java.time.Instant;

/** A member's name, contact details or consent changed; listeners read what they need through the API. */
public record MemberProfileChanged(MemberId memberId, ProgramId programId, boolean marketingOptIn, long version,
		Instant at) {
}
