package io.fidelis.points.application;

import java.util.Optional;

import io.fidelis.points.domain.ReferralRules;

/** Each program's referral rules, and how many friends each member was paid for in a period. */
public interface ReferralBook {

	/** Empty while staff set none. */
	Optional<ReferralRules> find(String programId);

	void save(ReferralRules rules);

	/**
	 * Counts the friend towards the referrer's cap in the period: true when the friend is counted
	 * (now, or already by an earlier delivery of the same enrollment), false when the cap was full
	 * without them. Counting the same friend again changes nothing, so a redelivery that finds
	 * them counted pays what the first delivery may not have paid before a crash.
	 */
	boolean countTowardsCap(String referrer, String period, String referee, int cap);

	/**
	 * Keeps the referral in its day's figures: the friend once, with the most each side was paid
	 * (so a redelivery that pays nothing more keeps what the first delivery paid).
	 */
	void record(String program, java.time.LocalDate day, Referral referral);

	/** The referrals of the program on these days (days without any are left out). */
	java.util.List<Referral> referrals(String program, java.util.Collection<java.time.LocalDate> days);

	/** One friend's referral and what it paid each side. */
	record Referral(String friend, String referrer, long refereePoints, long referrerPoints) {
	}
}
