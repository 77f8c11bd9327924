package io.fidelis.cards.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** Where cards, the phones registered for them, designs and pending wallet updates are kept; exact keys only. */
public interface CardStore {

	Optional<WalletCard> find(String serialNumber);

	Optional<WalletCard> findByMember(String memberId);

	/** False when the member already has a card (two deliveries of one event raced). */
	boolean insert(WalletCard card);

	/** The cards of these members that exist, by member id. */
	default java.util.Map<String, WalletCard> findByMembers(java.util.Collection<String> memberIds) {
		java.util.Map<String, WalletCard> found = new java.util.HashMap<>();
		memberIds.forEach(m -> findByMember(m).ifPresent(c -> found.put(m, c)));
		return found;
	}

	/** {@link #insert} for many cards; a member who has a card already keeps it. */
	default void insertAll(List<WalletCard> cards) {
		cards.forEach(this::insert);
	}

	/** Saves the card if it is still at {@code card.revision()}; false when another change came first. */
	boolean update(WalletCard card);

	/**
	 * {@link #update} for many cards in one write; answers the serial numbers of those another
	 * change came first to (not saved).
	 */
	default java.util.Set<String> updateAll(List<WalletCard> cards) {
		java.util.Set<String> missed = new java.util.HashSet<>();
		cards.forEach(c -> {
			if (!update(c)) {
				missed.add(c.serialNumber());
			}
		});
		return missed;
	}

	/** Notes that {@code serialNumber} is one of the member's passes that a new one replaced (before it is retired). */
	void noteRetired(String memberId, String serialNumber);

	/** The member's passes that new ones replaced. */
	List<WalletCard> retiredOf(String memberId);

	/** A program's cards in serial-number order, after {@code afterSerial} (null: from the start). */
	List<WalletCard> list(String programId, String afterSerial, int limit);

	enum Registered {
		NEW, EXISTING
	}

	Registered register(String device, String serialNumber, String pushToken, Instant at);

	boolean unregister(String device, String serialNumber);

	List<String> serialsOf(String device);

	record Registration(String device, String serialNumber, String pushToken) {
	}

	List<Registration> registrationsOf(String serialNumber);

	/** Which of these cards a phone has registered for, in one read. */
	default java.util.Set<String> registered(java.util.Collection<String> serialNumbers) {
		java.util.Set<String> found = new java.util.HashSet<>();
		serialNumbers.forEach(s -> {
			if (!registrationsOf(s).isEmpty()) {
				found.add(s);
			}
		});
		return found;
	}

	Optional<CardDesign> design(String programId);

	void saveDesign(CardDesign design);

	/** Which wallet a pending update is for. */
	enum Wallet {
		APPLE, GOOGLE
	}

	/** @param lease the lease number the claim took, which guards its release */
	record Due(String serialNumber, Wallet wallet, long tag, int attempts, long lease) {
	}

	/** Updates waiting for a wallet (due now, later, or being retried), over all nodes. */
	long dueCount();

	/** Notes that the card's {@code tag} has to reach {@code wallet}, now; a later tag replaces an earlier one. */
	default void due(String serialNumber, Wallet wallet, long tag) {
		due(serialNumber, wallet, tag, Instant.EPOCH);
	}

	/** As {@link #due(String, Wallet, long)}, not sent before {@code notBefore}. */
	void due(String serialNumber, Wallet wallet, long tag, Instant notBefore);

	/** Leases up to {@code max} pending updates that are ready and not leased by another node. */
	List<Due> claimDue(String node, Instant now, java.time.Duration lease, int max);

	/** The update reached the wallet; it stays pending if the card changed again meanwhile. */
	void delivered(Due due);

	/** Delivery failed; try again at {@code notBefore}. */
	void retryLater(Due due, Instant notBefore, String error);
}
