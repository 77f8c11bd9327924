package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * A member redeemed a reward of their program's catalog: its points left the ledger, a unit of
 * its stock and, for a code reward, its code are theirs. Announced again, the same, when the
 * request is retried within 15 minutes (the first announcement may have been lost with a crash).
 *
 * @param code           what the member shows at the till; null for a reward without a code
 * @param availableAfter the member's available points just after it
 */
public record RewardRedeemed(MemberId memberId, ProgramId programId, String redemptionId, String rewardId,
		String rewardName, long points, String code, long availableAfter, Instant at) {
}
