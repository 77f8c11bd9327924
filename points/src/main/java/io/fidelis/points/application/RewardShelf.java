package io.fidelis.points.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;
import io.fidelis.points.domain.RewardRedemption;

/**
 * The rewards catalog, its stock, each member's holdings under a reward's limit and the
 * redemptions; exact keys only. Every change is one document's, safe to repeat: a redemption
 * moves from step to step under its revision, and a unit of stock taken for a redemption is
 * kept pending on the stock until the redemption records it, so that a crash in between is
 * found by the redemption's retry rather than losing or doubling the unit.
 */
public interface RewardShelf {

	/** A reward as shelved: its definition and the units left (null: no limit). */
	record Shelved(Reward reward, Long remaining) {
	}

	/**
	 * Saves the definition. Its stock is a total: defined again with another total, the units
	 * left move by the difference. False, with nothing saved, when the new total is below the units
	 * handed out already.
	 */
	boolean define(Reward reward);

	Optional<Shelved> reward(String programId, String rewardId);

	/** The program's rewards, by id. */
	List<Shelved> rewards(String programId);

	/**
	 * One request's redemption, as stored under its revision.
	 *
	 * @param fingerprint    what the request asked for (member and reward), told apart from a reuse of its key
	 * @param state          CLAIMED, REDEEMED, REFUSED, REFUNDING or REFUNDED
	 * @param stockTaken     a unit of stock is the redemption's
	 * @param stockReturned  that unit went back to the stock (a refusal after it was taken, a refund)
	 */
	record Redemption(String redemptionId, String fingerprint, String programId, String rewardId, String memberId,
			long points, String code, String client, Instant at, String state, Refusal refusal, boolean stockTaken,
			boolean stockReturned, long availableAfter, Instant refundedAt, String refundReason, long rev) {

		public RewardRedemption view() {
			return new RewardRedemption(redemptionId, programId, rewardId, memberId, points, code,
					"REFUNDED".equals(state) ? RewardRedemption.Status.REFUNDED : RewardRedemption.Status.REDEEMED, at,
					refundedAt, refundReason, client, availableAfter);
		}
	}

	/** Stores {@code fresh} (revision 0) unless its id is taken; answers what is stored under the id. */
	Redemption claim(Redemption fresh);

	Optional<Redemption> redemption(String redemptionId);

	/** Saves {@code next} if the stored redemption is still at {@code next.rev()}, which it then passes. */
	boolean advance(Redemption next);

	/** Holds a place for the redemption under the member's limit: true if held (now or before), false when full. */
	boolean hold(String programId, String rewardId, String memberId, String redemptionId, int limit);

	/** Gives the place back (nothing when it was not held). */
	void release(String programId, String rewardId, String memberId, String redemptionId);

	/**
	 * Takes a unit for the redemption, kept pending.
	 *
	 * @return the units left after it (now, when it was taken before), null when none was left
	 */
	Long takeUnit(String programId, String rewardId, String redemptionId);

	/** The redemption recorded its unit: it is no longer pending. */
	void keepUnit(String programId, String rewardId, String redemptionId);

	/** A unit taken and not yet recorded goes back (nothing when none is pending for the redemption). */
	void releaseUnit(String programId, String rewardId, String redemptionId);

	/**
	 * A recorded unit goes back, pending until {@link #forgetReturn}: a retry finds it returned
	 * already. A pool reward's {@code code} goes back to its pool.
	 */
	void returnUnit(String programId, String rewardId, String redemptionId, String code);

	/** A code drawn from a pool, and the units left after it. */
	record Drawn(String code, long left) {
	}

	/**
	 * Takes a unit of a pool reward with its code, kept pending as {@link #takeUnit} keeps its unit
	 * (a retry gets the same code); null when the pool is empty.
	 */
	Drawn draw(String programId, String rewardId, String redemptionId);

	/**
	 * What an import added: codes new to the pool, codes it had already (an import sent again adds
	 * nothing), and the pool's codes in all.
	 */
	record Imported(int added, int alreadyInPool, long poolSize) {
	}

	/** Adds the codes (valid and without repeats) to the pool reward's pool; empty when the reward has no pool. */
	Optional<Imported> importCodes(String programId, String rewardId, List<String> codes);

	void forgetReturn(String programId, String rewardId, String redemptionId);

	/** Notes the redemption under its program's day, as {@code redeemed} or {@code refunded} (the same again: nothing). */
	void noteDay(String programId, java.time.LocalDate day, String kind, String redemptionId);

	/** The redemptions noted under the program's days as {@code kind}. */
	List<Redemption> noted(String programId, java.util.Collection<java.time.LocalDate> days, String kind);

		/** Lists the redemption among the member's. */
	void listFor(String memberId, String redemptionId);

	/** Drops the reasons staff gave for refunding the member's redemptions (an erasure: free text may name them). */
	void scrubRefundReasons(String memberId);

	/** The member's redemptions (redeemed and refunded), newest first. */
	List<Redemption> redemptionsOf(String memberId);
}
