package io.fidelis.members;

import java.time.Instant;
import java.util.Optional;

/**
 * A member's card number as the wallet cards module needs to govern it: staff who revoke a card
 * block its number at every till, and staff who reinstate the card give the member a new number
 * (announced as {@link MemberCardReplaced} with the reason {@code REINSTATED}).
 */
public interface CardNumbers {

	/**
	 * Blocks the member's card number with the reason {@code REVOKED}: from now on it identifies
	 * nobody and a till that scans it is told it is blocked. Answers the number blocked; empty when
	 * there is no such member. Blocking it again changes nothing.
	 */
	Optional<String> revoke(MemberId member, Instant at);

	/**
	 * A new card number for a member whose number was revoked; answers it. Empty when the member's
	 * number is not revoked (nothing to reinstate), when there is no such member, or when the member
	 * is closed.
	 */
	Optional<String> reinstate(MemberId member);

	/** Whether the member's current card number is revoked. */
	boolean revoked(MemberId member);
}
