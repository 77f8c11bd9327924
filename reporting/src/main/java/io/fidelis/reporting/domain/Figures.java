package io.fidelis.reporting.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counted figures of a slice of a program (a day, a region, a store...). Points are signed as
 * the ledger signs them: redeemed, expired and reversed are negative, adjusted either way.
 */
public record Figures(long issued, long reversed, long redeemed, long expired, long adjusted, long transferred,
		long enrolments, long activeDay, long activeWeek, long activeMonth) {

	public static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

	/** The names under which each figure is stored and summed. */
	public static final String[] NAMES = { "issued", "reversed", "redeemed", "expired", "adjusted", "transferred",
			"enrolments", "activeDay", "activeWeek", "activeMonth" };

	public Figures plus(Figures o) {
		return new Figures(issued + o.issued, reversed + o.reversed, redeemed + o.redeemed, expired + o.expired,
				adjusted + o.adjusted, transferred + o.transferred, enrolments + o.enrolments, activeDay + o.activeDay,
				activeWeek + o.activeWeek, activeMonth + o.activeMonth);
	}

	/** What an activity adds, by figure name (only the non-zero ones). */
	public static Map<String, Long> of(Activity a) {
		Map<String, Long> out = new LinkedHashMap<>();
		switch (a.kind()) {
			case ISSUED -> out.put("issued", a.points());
			case REVERSED -> out.put("reversed", a.points());
			case REDEEMED -> out.put("redeemed", a.points());
			case EXPIRED -> out.put("expired", a.points());
			case ADJUSTED -> out.put("adjusted", a.points());
			case TRANSFERRED -> out.put("transferred", a.points());
			case ENROLLED -> out.put("enrolments", 1L);
			default -> {
			}
		}
		if (a.kind().byTheMember()) {
			if (a.firstOfDay()) {
				out.put("activeDay", 1L);
			}
			if (a.firstOfWeek()) {
				out.put("activeWeek", 1L);
			}
			if (a.firstOfMonth()) {
				out.put("activeMonth", 1L);
			}
		}
		return out;
	}

	public static Figures fromMap(Map<String, ? extends Number> m) {
		long[] v = new long[NAMES.length];
		for (int i = 0; i < NAMES.length; i++) {
			Number n = m.get(NAMES[i]);
			v[i] = n == null ? 0 : n.longValue();
		}
		return new Figures(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
	}

	/** The change of outstanding points: everything but activation, which only moves pending to available. */
	public long netChange() {
		return issued + reversed + redeemed + expired + adjusted + transferred;
	}

	/** Active members for a period of the given length: each member counted once per period. */
	public long active(Grouping grouping) {
		return switch (grouping) {
			case DAY -> activeDay;
			case WEEK -> activeWeek;
			case MONTH -> activeMonth;
		};
	}
}
