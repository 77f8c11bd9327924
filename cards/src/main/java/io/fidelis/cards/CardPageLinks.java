package io.fidelis.cards;

import java.time.Instant;

import io.fidelis.members.MemberId;

/**
 * Links to a member's card page, which a program puts in e-mails and SMS: the card with its
 * barcode and figures, and "Add to Apple Wallet" and "Add to Google Wallet". The link is signed
 * and expires ({@code fidelis.cards.page-link-lifetime}); it names the member, not a pass, so it
 * keeps working when the card is replaced.
 */
public interface CardPageLinks {

	/** A link valid for the configured lifetime from now. */
	CardPageLink linkFor(MemberId member);

	/** A link valid for the configured lifetime from {@code from}: the same member and moment give the same link. */
	CardPageLink linkFor(MemberId member, Instant from);

	record CardPageLink(String url, Instant expiresAt) {
	}
}
