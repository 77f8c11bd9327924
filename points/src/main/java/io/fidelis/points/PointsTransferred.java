package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * Points moved between two members of one program. Published once for each side:
 * {@code delta} is negative for the payer and positive for the receiver.
 */
public record PointsTransferred(MemberId memberId, ProgramId programId, MemberId counterpart, long delta,
		long available, long pending, long version, String transaction, Instant at)
		implements PointsMovement {
}
