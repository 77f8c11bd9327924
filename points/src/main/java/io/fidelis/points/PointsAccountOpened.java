package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** A member's points account exists and can take entries. */
public record PointsAccountOpened(MemberId memberId, ProgramId programId, Instant openedAt) {
}
