package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * One movement of a member's points, of any kind. {@code version} is the account's version
 * after it: within an account, movements happen in version order, and a listener that keeps
 * its own view ignores versions it has already seen.
 */
public sealed interface PointsMovement permits PointsEarned, PointsRedeemed, PointsAdjusted, PointsReversed,
		PointsActivated, PointsExpired, PointsTransferred {

	MemberId memberId();

	ProgramId programId();

	long delta();

	long available();

	long pending();

	long version();

	String transaction();

	Instant at();

	/** The channel the caller named; none for a transfer. */
	default String channel() {
		return null;
	}

	default String region() {
		return null;
	}

	default String store() {
		return null;
	}

	default String partner() {
		return null;
	}
}
