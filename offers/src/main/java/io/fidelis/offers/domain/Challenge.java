package io.fidelis.offers.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A goal members of a program reach by what they do within a window, paid once with points when
 * reached: so many purchases, so much spend, so many different stores, optionally in one
 * category ("3 purchases in December", "spend 100 EUR on coffee this month").
 *
 * @param target   purchases or stores (a whole number, 1 to 1000), or spend (a sum of money)
 * @param category only purchases with a line of this category count (spend: only those lines); null: every purchase
 */
public record Challenge(String programId, String challengeId, String name, String description, Goal goal,
		BigDecimal target, String category, Instant validFrom, Instant validUntil, long rewardPoints, boolean active) {

	public enum Goal {
		/** Purchases (with a line of the category, if one is named). */
		PURCHASES,
		/** Money spent (on the category's lines, if one is named). */
		SPEND,
		/** Different stores bought from. */
		STORES,
		/** Weeks in a row (Monday to Sunday, UTC) with a purchase (with a line of the category, if one is named). */
		STREAK_WEEKS
	}

	public Challenge {
		if (challengeId == null || !challengeId.matches("[A-Za-z0-9._-]{1,64}")) {
			throw new InvalidOffer("challengeId", "challengeId is 1 to 64 letters, digits or . _ -");
		}
		if (name == null || name.isBlank() || name.length() > 100) {
			throw new InvalidOffer("name", "A challenge needs a name of 1 to 100 characters");
		}
		if (description != null && description.length() > 1_000) {
			throw new InvalidOffer("description", "description is at most 1000 characters");
		}
		if (goal == null) {
			throw new InvalidOffer("goal", "goal is PURCHASES, SPEND, STORES or STREAK_WEEKS");
		}
		if (target == null || target.signum() <= 0) {
			throw new InvalidOffer("target", "target is more than 0");
		}
		if (goal != Goal.SPEND && (target.stripTrailingZeros().scale() > 0 || target.compareTo(BigDecimal.valueOf(1_000)) > 0)) {
			throw new InvalidOffer("target", "A count of purchases, stores or weeks is a whole number, 1 to 1000");
		}
		if (goal == Goal.SPEND && (target.scale() > 2 || target.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0)) {
			throw new InvalidOffer("target", "A spend target is at most 1000000000, with at most 2 decimals");
		}
		if (category != null && (category.isBlank() || category.length() > 64)) {
			throw new InvalidOffer("category", "category is 1 to 64 characters, or none");
		}
		if (goal == Goal.STORES && category != null) {
			throw new InvalidOffer("category", "A stores challenge counts every store; it takes no category");
		}
		if (validFrom == null || validUntil == null || !validFrom.isBefore(validUntil)) {
			throw new InvalidOffer("validUntil", "A challenge runs from validFrom to a later validUntil");
		}
		if (rewardPoints <= 0 || rewardPoints > 1_000_000_000L) {
			throw new InvalidOffer("rewardPoints", "rewardPoints is 1 to 1000000000");
		}
	}

	/** Whether what happens at {@code at} counts. */
	public boolean runningAt(Instant at) {
		return active && !at.isBefore(validFrom) && at.isBefore(validUntil);
	}
}
