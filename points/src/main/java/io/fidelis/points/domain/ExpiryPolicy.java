package io.fidelis.points.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** When earned points expire, counted in the program's time zone. */
public sealed interface ExpiryPolicy {

	/** The expiry instant of points earned at {@code earnedAt}, or null when they never expire. */
	Instant expiryOf(Instant earnedAt, ZoneId zone);

	record Never() implements ExpiryPolicy {
		@Override
		public Instant expiryOf(Instant earnedAt, ZoneId zone) {
			return null;
		}
	}

	/** N months after the day of earning, at the start of the following day. */
	record RollingMonths(int months) implements ExpiryPolicy {
		public RollingMonths {
			if (months < 1 || months > 120) {
				throw new InvalidPoints("expiry", "Rolling expiry is 1 to 120 months");
			}
		}

		@Override
		public Instant expiryOf(Instant earnedAt, ZoneId zone) {
			return earnedAt.atZone(zone).toLocalDate().plusMonths(months).plusDays(1).atStartOfDay(zone).toInstant();
		}
	}

	/**
	 * At the end of the period in which they were earned; periods of N months start on 1 January
	 * (12: yearly, 3: quarterly).
	 */
	record PeriodEnd(int periodMonths) implements ExpiryPolicy {
		public PeriodEnd {
			if (periodMonths < 1 || periodMonths > 12 || 12 % periodMonths != 0) {
				throw new InvalidPoints("expiry", "A period is 1, 2, 3, 4, 6 or 12 months");
			}
		}

		@Override
		public Instant expiryOf(Instant earnedAt, ZoneId zone) {
			LocalDate day = earnedAt.atZone(zone).toLocalDate();
			int periodIndex = (day.getMonthValue() - 1) / periodMonths;
			LocalDate nextStart = LocalDate.of(day.getYear(), 1, 1).plusMonths((long) (periodIndex + 1) * periodMonths);
			return nextStart.atStartOfDay(zone).toInstant();
		}
	}
}
