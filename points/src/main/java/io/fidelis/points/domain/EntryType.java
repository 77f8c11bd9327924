package io.fidelis.points.domain;

/** The kinds of ledger entries. */
public enum EntryType {
	EARNED, REDEEMED, ADJUSTED, REVERSED, TRANSFERRED_OUT, TRANSFERRED_IN, ACTIVATED, EXPIRED,
	/** What a referral paid: to the member whose code was given, or to the friend who gave it. */
	REFERRAL_BONUS
}
