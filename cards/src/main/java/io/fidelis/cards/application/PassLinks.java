package io.fidelis.cards.application;

import io.fidelis.cards.domain.WalletCard;

/** Where a phone downloads a card's pass: a short-lived link that needs no bearer token. */
public interface PassLinks {

	String appleDownloadUrl(WalletCard card);
}
