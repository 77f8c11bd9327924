package io.fidelis.points;

import io.fidelis.members.MemberId;

/** Spending a member's points for something another module sells them (a reward offer). */
public interface PointsSpending {

	sealed interface Spent {
		record Done(long available) implements Spent {
		}

		/** @param code INSUFFICIENT_POINTS, NOT_FOUND, CONFLICT … as the ledger refused */
		record Refused(String code, String message) implements Spent {
		}
	}

	/**
	 * The fewest points one spend may take in {@code program}: its rules' minimum redemption. Empty
	 * when the program has no point rules yet (nothing can be spent there).
	 */
	java.util.OptionalLong smallestSpend(io.fidelis.members.ProgramId program);

	/** Idempotent on {@code key}: asking again answers the first result. */
	Spent spend(MemberId member, long points, String reason, String key);
}
