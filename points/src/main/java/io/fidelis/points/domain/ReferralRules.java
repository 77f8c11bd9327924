package io.fidelis.points.domain;

import java.util.Objects;

/**
 * What each side of a referral earns in a program: the member whose code was given, and the
 * friend who gave it at enrollment. Paid once the friend is enrolled, through the ledger as
 * {@link EntryType#REFERRAL_BONUS} entries; 0 pays nothing to that side.
 */
public record ReferralRules(String programId, long referrerPoints, long refereePoints) {

	public ReferralRules {
		Objects.requireNonNull(programId, "programId");
		for (long points : new long[] { referrerPoints, refereePoints }) {
			if (points < 0 || points > Points.MAX_PER_OPERATION) {
				throw new InvalidPoints(points == referrerPoints ? "referrerPoints" : "refereePoints",
						"A referral bonus is 0 to " + Points.MAX_PER_OPERATION + " points");
			}
		}
	}

	/** A program's rules before staff set any: referrals link members and pay nothing. */
	public static ReferralRules none(String programId) {
		return new ReferralRules(programId, 0, 0);
	}
}
