package io.fidelis.offers;

import java.time.Instant;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** An offer was given to a member (once per offer, member and trigger). */
public record OfferAssigned(String assignmentId, String offerId, MemberId memberId, ProgramId programId, String kind,
		String trigger, Instant at) {
}
