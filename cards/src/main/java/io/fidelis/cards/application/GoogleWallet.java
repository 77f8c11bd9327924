package io.fidelis.cards.application;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** Google Wallet: a LoyaltyClass per program and a LoyaltyObject per card. */
public interface GoogleWallet {

	/** Whether objects are kept current through the Wallet REST API (an issuer is configured). */
	boolean updatesEnabled();

	/**
	 * A "Save to Google Wallet" link. When the object would make the link too long, it is inserted
	 * through the REST API first and the link only names it.
	 */
	String saveUrl(WalletCard card, CardDesign design);

	/** Brings the card's object (and its class) up to date; throws when Google could not be reached. */
	void update(WalletCard card, CardDesign design);

	/** Brings the program's class to its design (inserted when missing); throws when Google could not be reached. */
	void updateClass(CardDesign design);

	/**
	 * Google asked to slow down (429) or is briefly unavailable (503): the update is tried again no
	 * sooner than {@code retryAfter} (its Retry-After; zero when it gave none).
	 */
	final class Busy extends IllegalStateException {

		private final java.time.Duration retryAfter;

		public Busy(String message, java.time.Duration retryAfter) {
			super(message);
			this.retryAfter = retryAfter;
		}

		public java.time.Duration retryAfter() {
			return retryAfter;
		}
	}
}
