package io.fidelis.points.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A member's points account. Its balance is a cache of the sum of its ledger entries; an account
 * opens empty.
 */
public record PointsAccount(String memberId, String programId, long balance, Instant openedAt) {

	public PointsAccount {
		Objects.requireNonNull(memberId, "memberId");
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(openedAt, "openedAt");
		if (balance < 0) {
			throw new IllegalArgumentException("A new account cannot start below zero");
		}
	}

	public static PointsAccount open(String memberId, String programId, Instant at) {
		return new PointsAccount(memberId, programId, 0, at);
	}
}
