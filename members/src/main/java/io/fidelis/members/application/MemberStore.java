package io.fidelis.members.application;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.fidelis.members.MemberId;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;

/** Where members and their identity claims are kept. Every operation reads or writes by an exact key. */
public interface MemberStore {

	Optional<Member> find(MemberId id);

	List<Member> findAll(Collection<MemberId> ids);

	/** Inserts the member; inserting the same member again (a resumed enrollment) changes nothing. */
	void insert(Member member);

	/** Replaces the member only if it is still at {@code expectedVersion}; false when someone else changed it. */
	boolean update(long expectedVersion, Member after);

	/**
	 * Claims {@code claim} for {@code owner}. Returns the claim as held after the call: ours when
	 * it was free or already ours, someone else's otherwise.
	 */
	HeldClaim claim(IdentityClaim claim, MemberId owner, String fingerprint, Instant at);

	/**
	 * Claims many at once, each for its own owner, as {@link #claim} does one by one; answers, in
	 * the order given, each claim as held after the call. The store writes them together (one
	 * write for a whole import batch), so this is how bulk enrollment stays at bulk speed.
	 */
	default List<HeldClaim> claimAll(List<Claiming> claims, Instant at) {
		return claims.stream().map(c -> claim(c.claim(), c.owner(), c.fingerprint(), at)).toList();
	}

	/** Inserts many members together; one already there (a resumed enrollment) is left as it is. */
	default void insertAll(List<Member> members) {
		members.forEach(this::insert);
	}

	/** A claim wanted for {@code owner}. */
	record Claiming(IdentityClaim claim, MemberId owner, String fingerprint) {
	}

	/** Moves a claim from an owner that never came into existence to {@code newOwner}; false if it moved meanwhile. */
	boolean takeOver(IdentityClaim claim, MemberId staleOwner, MemberId newOwner, String fingerprint, Instant at);

	/** Gives a claim back, only if {@code owner} still holds it; false when it did not (or nobody did). */
	boolean release(IdentityClaim claim, MemberId owner);

	/**
	 * The claims of one {@link #claimAll} call, as a sweep finds them long after: an enrollment
	 * that stopped (a crash) between its claims and its members left claims whose owners never came
	 * into existence. Kept with the claims in the same write, so that no claim batch goes unseen.
	 */
	record PendingClaims(String id, List<Claiming> claims) {
	}

	/** The claim batches of one minute (minutes since the epoch), the oldest minute not yet swept. */
	record PendingMinute(long minute, List<PendingClaims> batches) {
	}

	/**
	 * The oldest minute before {@code before} whose claim batches were not yet swept, with every
	 * batch written in it (read by exact keys); empty when all minutes before it were swept.
	 */
	Optional<PendingMinute> nextPendingMinute(Instant before);

	/** The minute's batches are dealt with: they are forgotten, and the next minute comes next. */
	void minuteSwept(PendingMinute minute);

	/**
	 * Drops {@code owner} from the not yet swept batches of claims it wrote at {@code claimedAt} (its
	 * enrollment): a batch names the claims, an email or a card number among them, and an erased
	 * member leaves no trace.
	 */
	void forgetPending(MemberId owner, Instant claimedAt);

	Optional<HeldClaim> held(IdentityClaim claim);

	/**
	 * Blocks a card number its owner held (lost, stolen, damaged), naming the number that replaces it.
	 * The claim stays with the owner, so the number is never issued again. False if {@code owner} does
	 * not hold it.
	 */
	boolean retireCard(IdentityClaim card, MemberId owner, String reason, String replacedBy, Instant at);

	/**
	 * Claims a newly drawn card number for {@code owner}: the number and its digest. False, with
	 * nothing kept, when either is held (the number is in use, or was an erased member's).
	 */
	default boolean claimCard(io.fidelis.members.ProgramId program, io.fidelis.members.domain.CardNumber number,
			MemberId owner, String fingerprint, Instant at) {
		IdentityClaim card = IdentityClaim.card(program, number);
		if (!claim(card, owner, fingerprint, at).ownedBy(owner)) {
			return false;
		}
		if (!claim(IdentityClaim.cardDigest(program, number), owner, fingerprint, at).ownedBy(owner)) {
			release(card, owner);
			return false;
		}
		return true;
	}

	/**
	 * An erased member's card numbers (the current one and every one blocked before) stop showing:
	 * each number's claim gives way to its digest ({@link IdentityClaim#cardDigest}), which keeps
	 * the number from being issued again. Doing it twice changes nothing.
	 */
	void forgetCardNumbers(MemberId owner, io.fidelis.members.ProgramId program);

	/** Why and when a card number was blocked, if it was. */
	Optional<RetiredCard> retiredCard(IdentityClaim card);

	/** Keeps a batch of pre-printed card numbers; false when the program already has a batch with that id. */
	boolean addStockBatch(CardStock.Batch batch);

	Optional<CardStock.Batch> stockBatch(io.fidelis.members.ProgramId program, String batchId);

	record RetiredCard(MemberId owner, String reason, String replacedBy, Instant at) {

		/** What a till is told when it scans the blocked card. */
		public String blockedMessage(String cardNumber) {
			if (REVOKED.equals(reason)) {
				return "The card " + cardNumber + " was revoked on " + at
						+ " and is blocked; staff can reinstate the member's card with a new number";
			}
			return "The card " + cardNumber + " was reported " + reason.toLowerCase(java.util.Locale.ROOT) + " on " + at
					+ " and is blocked; ask the member for their new card";
		}

		/** The reason of a number blocked because staff revoked the card. */
		public static final String REVOKED = "REVOKED";
	}

	/** @param retired why a card number was blocked (LOST, STOLEN, DAMAGED, REVOKED), null while it is in use */
	record HeldClaim(IdentityClaim claim, MemberId owner, String fingerprint, Instant claimedAt, String retired) {

		public HeldClaim(IdentityClaim claim, MemberId owner, String fingerprint, Instant claimedAt) {
			this(claim, owner, fingerprint, claimedAt, null);
		}

		public boolean ownedBy(MemberId id) {
			return owner.equals(id);
		}
	}
}
