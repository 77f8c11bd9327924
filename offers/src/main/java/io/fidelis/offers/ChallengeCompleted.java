package io.fidelis.offers;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * A member reached a challenge's target; its points are on their way to the ledger (paid once).
 * Told again, the same, when the purchase that completed it is delivered again.
 *
 * @param order the purchase that completed it (the client's and its order id)
 */
public record ChallengeCompleted(MemberId memberId, ProgramId programId, String challengeId, String name,
		long rewardPoints, String order, Instant at) {
}
