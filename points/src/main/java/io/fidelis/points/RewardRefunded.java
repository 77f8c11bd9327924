package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** A reward redemption was refunded: its points, its unit of stock and the member's place went back. */
public record RewardRefunded(MemberId memberId, ProgramId programId, String redemptionId, String rewardId, long points,
		String reason, Instant at) {
}
