package io.fidelis.points.domain;

import java.time.Instant;

/**
 * A reward a member bought with points: its points taken from the ledger (an entry with
 * {@code transactionId} {@code reward:<id>}), a unit of its stock, a place under its limit per
 * member and, for a code reward, its code. A refund gives all of them back.
 *
 * @param client the caller that redeemed it (an integration client may refund its own)
 */
public record RewardRedemption(String redemptionId, String programId, String rewardId, String memberId, long points,
		String code, Status status, Instant redeemedAt, Instant refundedAt, String refundReason, String client,
		long availableAfter) {

	public enum Status {
		REDEEMED, REFUNDED
	}
}
