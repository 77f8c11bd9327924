package io.fidelis.reporting.domain;

import java.time.Instant;

/**
 * One thing that happened in a program, as reporting keeps it: a points movement, an
 * enrolment, a tier change or a member closing. {@code id} is unique per source event, so a
 * redelivered event is recognised. The {@code first*} flags say whether this was the member's
 * first points activity of its day, ISO week and month, which makes active-member counts
 * distinct per period.
 */
public record Activity(String id, String program, Kind kind, String member, Instant at, long points, String region,
		String channel, String store, String partner, String tierFrom, String tierTo, boolean firstOfDay,
		boolean firstOfWeek, boolean firstOfMonth) {

	public enum Kind {
		ISSUED, REVERSED, REDEEMED, EXPIRED, ADJUSTED, TRANSFERRED, ENROLLED, TIER_CHANGED, CLOSED;

		/** Activity that makes a member "active" in a period: they bought or spent. */
		public boolean byTheMember() {
			return this == ISSUED || this == REDEEMED;
		}

		public boolean movesPoints() {
			return ordinal() <= TRANSFERRED.ordinal();
		}
	}

	public Activity withFirsts(boolean day, boolean week, boolean month) {
		return new Activity(id, program, kind, member, at, points, region, channel, store, partner, tierFrom, tierTo, day,
				week, month);
	}
}
