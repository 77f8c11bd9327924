package io.fidelis.points;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * An event type points owns and the offers module publishes: an offer gave a member bonus points.
 * Points earns them once per {@code awardId} (the ledger's idempotency), however often it is told.
 */
public record OfferBonusAwarded(MemberId memberId, ProgramId programId, String offerId, String awardId, long points,
		String reason, Instant at) {
}
