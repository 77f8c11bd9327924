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
}
