package io.fidelis.points.domain;

/** The kinds of ledger entries. */
public enum EntryType {
	EARNED, REDEEMED, ADJUSTED, REVERSED, TRANSFERRED_OUT, TRANSFERRED_IN, ACTIVATED, EXPIRED
}
