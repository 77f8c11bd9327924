package io.fidelis.points.domain;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What each side of a referral earns in a program: the member whose code was given, and the
 * friend who gave it at enrollment. Paid once the friend is enrolled, through the ledger as
 * {@link EntryType#REFERRAL_BONUS} entries; 0 pays nothing to that side.
 *
 * @param referrerCap how many friends a member is paid for per {@code capPeriod} (the friend's own
 *                    bonus is paid whatever the cap); null for no cap
 * @param capPeriod   the period the cap counts in, by the friend's enrollment day in the program's time zone
 */
public record ReferralRules(String programId, long referrerPoints, long refereePoints, Integer referrerCap,
		CapPeriod capPeriod) {

	public static final int MOST_PER_PERIOD = 10_000;

	/** The calendar period a cap counts in. */
	public enum CapPeriod {
		MONTH, YEAR;

		/** The period a day falls in, as a key: 2026-12 or 2026. */
		public String of(LocalDate day) {
			return this == MONTH ? day.toString().substring(0, 7) : Integer.toString(day.getYear());
		}
	}

	/** Rules without a cap. */
	public ReferralRules(String programId, long referrerPoints, long refereePoints) {
		this(programId, referrerPoints, refereePoints, null, CapPeriod.MONTH);
	}

	public ReferralRules {
		Objects.requireNonNull(programId, "programId");
		for (long points : new long[] { referrerPoints, refereePoints }) {
			if (points < 0 || points > Points.MAX_PER_OPERATION) {
				throw new InvalidPoints(points == referrerPoints ? "referrerPoints" : "refereePoints",
						"A referral bonus is 0 to " + Points.MAX_PER_OPERATION + " points");
			}
		}
		if (referrerCap != null && (referrerCap < 1 || referrerCap > MOST_PER_PERIOD)) {
			throw new InvalidPoints("referrerCap", "referrerCap is 1 to " + MOST_PER_PERIOD + " friends per period, or none");
		}
		capPeriod = capPeriod == null ? CapPeriod.MONTH : capPeriod;
	}

	/** A program's rules before staff set any: referrals link members and pay nothing. */
	public static ReferralRules none(String programId) {
		return new ReferralRules(programId, 0, 0);
	}
}
