package io.fidelis.offers;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** A member used an offer: a reward bought (points spent), a coupon used at the till, a bonus earned. */
public record OfferRedeemed(String assignmentId, String offerId, MemberId memberId, ProgramId programId, String kind,
		long points, Instant at) {
}
