package io.fidelis.members;

import java.time.Instant;

/** A member moved to another tier (or to none); {@code reason} is UPGRADE, DOWNGRADE, MANUAL or MANUAL_ENDED. */
public record TierChanged(MemberId memberId, ProgramId programId, String previousTier, String tier, String reason,
		Instant at) {
}
