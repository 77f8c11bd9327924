package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.ProgramId;

/**
 * A redemption left a reward with its {@code lowStockAt} units: staff may restock it. Told once
 * per crossing (a refund that lifts the stock above it lets the next crossing be told again).
 */
public record RewardStockLow(ProgramId programId, String rewardId, String rewardName, long remaining, long stock,
		Instant at) {
}
