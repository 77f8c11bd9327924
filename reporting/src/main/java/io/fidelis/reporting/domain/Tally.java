package io.fidelis.reporting.domain;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts activities from scratch, in memory: what a rebuild writes, and what the stored figures
 * must always equal. Members count as active once per day, week and month, at their first
 * activity there.
 */
public final class Tally {

	private final Map<LocalDate, Mutable> days = new HashMap<>();
	private final Map<String, Long> tiers = new HashMap<>();
	private final Set<String> activeSeen = new HashSet<>();
	private long points;
	private long members;

	public static Tally of(List<Activity> activities, ZoneId zone) {
		Tally tally = new Tally();
		activities.stream().sorted(Comparator.comparing(Activity::at).thenComparing(Activity::id))
				.forEach(a -> tally.add(a, a.at().atZone(zone).toLocalDate()));
		return tally;
	}

	public void add(Activity activity, LocalDate day) {
		Activity a = activity;
		if (a.kind().byTheMember()) {
			a = a.withFirsts(activeSeen.add(a.member() + "|" + Grouping.DAY.label(day)),
					activeSeen.add(a.member() + "|" + Grouping.WEEK.label(day)),
					activeSeen.add(a.member() + "|" + Grouping.MONTH.label(day)));
		}
		Mutable d = days.computeIfAbsent(day, k -> new Mutable());
		Map<String, Long> counted = Figures.of(a);
		Figures f = Figures.fromMap(counted);
		if (!counted.isEmpty()) {
			d.slices.merge(new DayFigures.Slice(a.region(), a.channel()), f, Figures::plus);
			if (a.store() != null) {
				d.stores.merge(a.store(), f, Figures::plus);
			}
			if (a.partner() != null) {
				d.partners.merge(a.partner(), f, Figures::plus);
			}
		}
		if (a.kind().movesPoints()) {
			points += a.points();
		}
		if (a.kind() == Activity.Kind.TIER_CHANGED) {
			d.tiers.merge(tierKey(a.tierFrom()), -1L, Long::sum);
			d.tiers.merge(tierKey(a.tierTo()), 1L, Long::sum);
			tiers.merge(tierKey(a.tierFrom()), -1L, Long::sum);
			tiers.merge(tierKey(a.tierTo()), 1L, Long::sum);
		}
		if (a.kind() == Activity.Kind.ENROLLED || a.kind() == Activity.Kind.CLOSED) {
			long change = a.kind() == Activity.Kind.ENROLLED ? 1 : -1;
			d.members += change;
			members += change;
		}
		if (a.kind() == Activity.Kind.ENROLLED) {
			// members start without a tier: the mix counts them there until they earn one
			d.tiers.merge("", 1L, Long::sum);
			tiers.merge("", 1L, Long::sum);
		}
	}

	/** Members without a tier count under "". */
	public static String tierKey(String tier) {
		return tier == null ? "" : tier;
	}

	public Map<LocalDate, DayFigures> days() {
		Map<LocalDate, DayFigures> out = new HashMap<>();
		days.forEach((day, d) -> out.put(day, new DayFigures(day, d.slices, d.stores, d.partners, d.tiers, d.members)));
		return out;
	}

	public Totals totals() {
		return new Totals(points, tiers, members);
	}

	private static final class Mutable {
		final Map<DayFigures.Slice, Figures> slices = new HashMap<>();
		final Map<String, Figures> stores = new HashMap<>();
		final Map<String, Figures> partners = new HashMap<>();
		final Map<String, Long> tiers = new HashMap<>();
		long members;
	}
}
