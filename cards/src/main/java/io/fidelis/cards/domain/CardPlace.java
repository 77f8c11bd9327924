package io.fidelis.cards.domain;

/** A place where the card comes up on the phone's lock screen: one of the program's stores. */
public record CardPlace(String name, double latitude, double longitude) {

	/** Apple Wallet honours at most this many places per pass. */
	public static final int MOST = 10;
}
