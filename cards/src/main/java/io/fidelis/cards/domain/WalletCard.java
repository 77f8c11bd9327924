package io.fidelis.cards.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A member's loyalty card as the wallets show it: what is printed on it (card number, name, tier,
 * balance, points expiring soon) and how the wallets keep it current.
 *
 * <p>Two clocks order its changes. {@code updateTag} (milliseconds, strictly increasing per card)
 * answers Apple's "which passes changed since". {@code updatedAt} (whole seconds, also strictly
 * increasing) is the pass's {@code Last-Modified}: HTTP dates have whole seconds, so two changes in
 * one second must still look different to a phone asking {@code If-Modified-Since}.
 * {@code balanceVersion} is the points account's version the balance came from; an older one
 * never replaces a newer one, whatever order the events arrive in.
 */
public record WalletCard(String serialNumber, String memberId, String programId, String cardNumber, String memberName,
		String tier, long available, long pending, long balanceVersion, long expiringSoon, Instant expiringFirst,
		CardStatus status, String statusReason, String authenticationToken, long updateTag, Instant updatedAt,
		long revision, boolean retired) {

	public enum CardStatus {
		ACTIVE,
		/**
		 * The member is suspended: the wallets show it, without a barcode, and the card is active
		 * again once staff lift the suspension. Balance, tier and name still follow the member.
		 */
		SUSPENDED,
		/** The member closed their account or had their data erased. */
		VOIDED,
		/** Staff revoked the card. */
		REVOKED
	}

	public WalletCard {
		Objects.requireNonNull(serialNumber, "serialNumber");
		Objects.requireNonNull(memberId, "memberId");
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(status, "status");
		if (authenticationToken == null || authenticationToken.length() < 16) {
			throw new IllegalArgumentException("A pass authentication token has at least 16 characters");
		}
		Objects.requireNonNull(updatedAt, "updatedAt");
	}

	public static WalletCard issue(String serialNumber, String memberId, String programId, String cardNumber,
			String memberName, String tier, String authenticationToken, Instant now) {
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, 0, 0, 0, 0, null,
				CardStatus.ACTIVE, null, authenticationToken, now.toEpochMilli(), now.truncatedTo(ChronoUnit.SECONDS), 0, false);
	}

	public boolean active() {
		return status == CardStatus.ACTIVE;
	}

	/** Voided or revoked: it shows what it showed when it ended, and never comes back. */
	public boolean ended() {
		return status == CardStatus.VOIDED || status == CardStatus.REVOKED;
	}

	/** On hold while its member is suspended, active again when they are not; an ended card stays ended. */
	public WalletCard suspended(boolean suspended, Instant now) {
		CardStatus next = suspended ? CardStatus.SUSPENDED : CardStatus.ACTIVE;
		if (ended() || status == next) {
			return this;
		}
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, next, suspended ? "SUSPENDED" : null, authenticationToken,
				updateTag, updatedAt, revision, retired).touched(now);
	}

	/** Its member's data was erased: the card keeps neither name nor number. */
	public boolean erased() {
		return status == CardStatus.VOIDED && "ERASED".equals(statusReason);
	}

	/** The balance from account version {@code version}; an older version than the card shows changes nothing. */
	public WalletCard withBalance(long newAvailable, long newPending, long version, long newExpiringSoon,
			Instant newExpiringFirst, Instant now) {
		if (ended()) {
			return this; // a voided or revoked pass shows what it showed when it ended
		}
		if (version < balanceVersion || version == balanceVersion && newAvailable == available
				&& newPending == pending && newExpiringSoon == expiringSoon
				&& Objects.equals(newExpiringFirst, expiringFirst)) {
			return this;
		}
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, newAvailable,
				newPending, version, newExpiringSoon, newExpiringFirst, status, statusReason, authenticationToken,
				updateTag, updatedAt, revision, retired).touched(now);
	}

	public WalletCard withTier(String newTier, Instant now) {
		if (ended()) {
			return this; // a voided or revoked pass shows what it showed when it ended
		}
		if (Objects.equals(tier, newTier)) {
			return this;
		}
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, newTier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, status, statusReason, authenticationToken, updateTag,
				updatedAt, revision, retired).touched(now);
	}

	/** The printed name and card number (a profile change, or a card replaced after a loss). */
	public WalletCard withHolder(String newName, String newCardNumber, Instant now) {
		if (ended()) {
			return this; // a voided or revoked pass shows what it showed when it ended
		}
		if (Objects.equals(memberName, newName) && Objects.equals(cardNumber, newCardNumber)) {
			return this;
		}
		return new WalletCard(serialNumber, memberId, programId, newCardNumber, newName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, status, statusReason, authenticationToken, updateTag,
				updatedAt, revision, retired).touched(now);
	}

	/** No longer usable: the wallets show it voided. A voided or revoked card stays so. */
	public WalletCard ended(CardStatus newStatus, String reason, Instant now) {
		if (newStatus != CardStatus.VOIDED && newStatus != CardStatus.REVOKED) {
			throw new IllegalArgumentException("A card is ended as VOIDED or REVOKED");
		}
		if (ended()) {
			return this;
		}
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, newStatus, reason, authenticationToken, updateTag,
				updatedAt, revision, retired).touched(now);
	}

	/**
	 * Ended for good because a new pass replaces it (a card reported lost or stolen, a revoked card
	 * reinstated): the wallets show it voided once more, then it never changes again. The member's
	 * card from then on is the new pass, with a serial number and token of its own, so whoever holds
	 * a copy of this one follows nothing of the member's.
	 */
	public WalletCard retired(CardStatus newStatus, String reason, Instant now) {
		WalletCard ended = ended() ? touched(now) : ended(newStatus, reason, now);
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, ended.status, ended.statusReason, authenticationToken,
				ended.updateTag, ended.updatedAt, revision, true);
	}

	/** The member's data was erased: nothing personal stays on the card, which is voided. */
	public WalletCard erased(Instant now) {
		WalletCard ended = ended(CardStatus.VOIDED, "ERASED", now);
		return new WalletCard(serialNumber, memberId, programId, null, null, null, ended.available, ended.pending,
				ended.balanceVersion, 0, null, CardStatus.VOIDED, "ERASED", authenticationToken, ended.updateTag,
				ended.updatedAt, revision, retired).touched(now);
	}

	/**
	 * Its program's design changed: the same card, a new version, so that Apple's changed-serials
	 * names it and its Last-Modified moves. An ended card keeps showing what it showed.
	 */
	public WalletCard redesigned(Instant now) {
		return ended() ? this : touched(now);
	}

	/** True when a phone that holds the pass as of {@code ifModifiedSince} already has this version. */
	public boolean notModifiedSince(Instant ifModifiedSince) {
		return !updatedAt.isAfter(ifModifiedSince);
	}

	public WalletCard stored(long newRevision) {
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, status, statusReason, authenticationToken, updateTag,
				updatedAt, newRevision, retired);
	}

	private WalletCard touched(Instant now) {
		long tag = Math.max(updateTag + 1, now.toEpochMilli());
		Instant second = now.truncatedTo(ChronoUnit.SECONDS);
		Instant modified = second.isAfter(updatedAt) ? second : updatedAt.plusSeconds(1);
		return new WalletCard(serialNumber, memberId, programId, cardNumber, memberName, tier, available, pending,
				balanceVersion, expiringSoon, expiringFirst, status, statusReason, authenticationToken, tag, modified,
				revision, retired);
	}
}
