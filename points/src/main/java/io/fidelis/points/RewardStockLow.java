package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.ProgramId;

/**
 * A redemption left a reward with its {@code lowStockAt} units: staff may restock it (or import
 * more codes). Told once per crossing (a refund that lifts the stock above it lets the next
 * crossing be told again).
 *
 * @param stock the reward's stock in all; null for a pool reward (its pool's codes are its stock)
 */
public record RewardStockLow(ProgramId programId, String rewardId, String rewardName, long remaining, Long stock,
		Instant at) {
}
