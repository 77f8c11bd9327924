package io.fidelis.members;

import java.time.Instant;

/**
 * Activity that counts towards a member's tier: points earned for a purchase (positive) or taken
 * back by its refund (negative). The members module owns this type; the points module publishes
 * it, and members listens to its own event, so the module graph keeps pointing one way.
 *
 * @param money         what the purchase cost (a decimal), when the till reported it; null otherwise
 * @param sourceVersion the points account version of the entry; a redelivery carries the same one
 */
public record QualifyingActivity(MemberId memberId, ProgramId programId, long points, int transactions, String money,
		String currency, String transaction, Instant at, long sourceVersion) {
}
