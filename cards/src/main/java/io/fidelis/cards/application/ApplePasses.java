package io.fidelis.cards.application;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** Builds signed {@code .pkpass} files. */
public interface ApplePasses {

	/** The pass type id every pass carries, and APNs' topic for their pushes. */
	String passTypeIdentifier();

	/** The card as a signed pass; it points back at {@code webServiceURL} for its updates. */
	default byte[] write(WalletCard card, CardDesign design) {
		return write(card, design, java.util.List.of());
	}

	/** As {@link #write(WalletCard, CardDesign)}, coming up on the lock screen near {@code places} (at most {@link io.fidelis.cards.domain.CardPlace#MOST}). */
	byte[] write(WalletCard card, CardDesign design, java.util.List<io.fidelis.cards.domain.CardPlace> places);
}
