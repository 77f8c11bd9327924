package io.fidelis.cards.application;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** Builds signed {@code .pkpass} files. */
public interface ApplePasses {

	/** The pass type id every pass carries, and APNs' topic for their pushes. */
	String passTypeIdentifier();

	/** The card as a signed pass; it points back at {@code webServiceURL} for its updates. */
	byte[] write(WalletCard card, CardDesign design);
}
