package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * Points expired. {@code version} is the account's version after the change: listeners that keep their own
 * view ignore versions they have already seen. {@code store} and {@code partner} say where it happened, when the caller said.
 */
public record PointsExpired(MemberId memberId, ProgramId programId, long delta, long available, long pending,
		long version, String transaction, String channel, String region, String store, String partner, Instant at)
		implements PointsMovement {
}
