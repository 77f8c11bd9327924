package io.fidelis.offers.domain;

import java.time.Instant;
import java.util.List;

/**
 * An offer given to one member, with why: every condition and restriction it was judged on, with
 * the member's fact values at that moment. Its id comes from the offer, the member and what
 * triggered it, so the same trigger judged twice (a redelivered event, a re-run schedule)
 * assigns once.
 */
public record Assignment(String id, String offerId, String programId, String memberId, Offer.Kind kind,
		String trigger, Status status, List<Condition.Evaluated> explanation, String couponCode, Instant assignedAt,
		Instant activatedAt, Instant redeemedAt, Instant expiresAt, long revision) {

	public enum Status {
		ASSIGNED, ACTIVATED, REDEEMED
	}

	public Assignment activated(Instant at) {
		return new Assignment(id, offerId, programId, memberId, kind, trigger, Status.ACTIVATED, explanation, couponCode,
				assignedAt, at, redeemedAt, expiresAt, revision);
	}

	public Assignment redeemed(Instant at) {
		return new Assignment(id, offerId, programId, memberId, kind, trigger, Status.REDEEMED, explanation, couponCode,
				assignedAt, activatedAt == null ? at : activatedAt, at, expiresAt, revision);
	}

	public Assignment withRevision(long newRevision) {
		return new Assignment(id, offerId, programId, memberId, kind, trigger, status, explanation, couponCode, assignedAt,
				activatedAt, redeemedAt, expiresAt, newRevision);
	}

	public boolean expiredAt(Instant at) {
		return !at.isBefore(expiresAt);
	}
}
