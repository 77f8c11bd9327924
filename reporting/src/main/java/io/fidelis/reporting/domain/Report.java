package io.fidelis.reporting.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A program's figures over a range, in rows by period (and optionally by region, channel,
 * store or partner). Program-wide rows also carry what stood at the end of their period:
 * outstanding points (the liability), members and the tier mix. Those are worked back from the
 * totals now by taking off every change after the period.
 */
public record Report(String program, ReportRange range, Grouping grouping, Dimension dimension, List<Row> rows,
		Figures totals, BigDecimal costPerPoint, String currency) {

	public static final String NONE = "(none)";

	/**
	 * @param key        the region, channel, store or partner; null in program-wide rows
	 * @param liability  outstanding points at the end of the period; null in split rows
	 * @param tiers      members per tier at the end of the period; null in split rows
	 */
	public record Row(String period, String key, Figures figures, Long liability, Long members, Map<String, Long> tiers) {
	}

	/**
	 * @param days every stored day from the start of the range up to today (days after the range
	 *             are needed to work the liability back)
	 */
	public static Report build(String program, ReportRange range, Grouping grouping, Dimension dimension,
			Map<LocalDate, DayFigures> days, Totals now, BigDecimal costPerPoint, String currency) {
		NavigableMap<LocalDate, DayFigures> sorted = new TreeMap<>(days);
		long points = now.points();
		long members = now.members();
		Map<String, Long> tiers = new HashMap<>(now.tiers());
		for (DayFigures d : sorted.tailMap(range.from(), true).values()) {
			points -= d.total().netChange();
			members -= d.memberChange();
			d.tierChanges().forEach((tier, change) -> tiers.merge(tier, -change, Long::sum));
		}
		// points, members and tiers now stand as at the start of the range

		Map<String, Map<String, Figures>> byPeriod = new LinkedHashMap<>();
		Map<String, Long> liabilityAt = new LinkedHashMap<>();
		Map<String, Long> membersAt = new LinkedHashMap<>();
		Map<String, Map<String, Long>> tiersAt = new LinkedHashMap<>();
		Figures total = Figures.NONE;
		for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1)) {
			String period = grouping.label(day);
			Map<String, Figures> row = byPeriod.computeIfAbsent(period, p -> new TreeMap<>());
			DayFigures d = sorted.get(day);
			if (d != null) {
				for (Map.Entry<String, Figures> cut : cuts(d, dimension).entrySet()) {
					row.merge(cut.getKey(), cut.getValue(), Figures::plus);
				}
				Figures dayTotal = d.total();
				total = total.plus(dayTotal);
				points += dayTotal.netChange();
				members += d.memberChange();
				d.tierChanges().forEach((tier, change) -> tiers.merge(tier, change, Long::sum));
			}
			liabilityAt.put(period, points);
			membersAt.put(period, members);
			Map<String, Long> mix = new TreeMap<>();
			tiers.forEach((tier, count) -> {
				if (count != 0) {
					mix.put(tier, count);
				}
			});
			tiersAt.put(period, mix);
		}
		List<Row> rows = new ArrayList<>();
		byPeriod.forEach((period, cuts) -> {
			if (dimension == null) {
				rows.add(new Row(period, null, cuts.getOrDefault("", Figures.NONE), liabilityAt.get(period),
						membersAt.get(period), tiersAt.get(period)));
			}
			else {
				cuts.forEach((key, figures) -> rows.add(new Row(period, key, figures, null, null, null)));
			}
		});
		return new Report(program, range, grouping, dimension, rows, total, costPerPoint, currency);
	}

	private static Map<String, Figures> cuts(DayFigures d, Dimension dimension) {
		Map<String, Figures> out = new HashMap<>();
		if (dimension == null) {
			out.put("", d.total());
			return out;
		}
		switch (dimension) {
			case REGION -> d.slices().forEach((s, f) -> out.merge(orNone(s.region()), f, Figures::plus));
			case CHANNEL -> d.slices().forEach((s, f) -> out.merge(orNone(s.channel()), f, Figures::plus));
			case STORE -> out.putAll(d.stores());
			case PARTNER -> out.putAll(d.partners());
		}
		return out;
	}

	private static String orNone(String value) {
		return value == null ? NONE : value;
	}

	/** Expired over issued, in the range; null when nothing was issued. */
	public static Double breakage(Figures f) {
		return f.issued() == 0 ? null : (double) -f.expired() / f.issued();
	}

	/** The money the outstanding points stand for, at the configured cost per point. */
	public BigDecimal value(long outstanding) {
		return costPerPoint == null ? null : costPerPoint.multiply(BigDecimal.valueOf(outstanding));
	}

	/** Stores (or partners) ranked by points issued in the range. */
	public static List<Map.Entry<String, Figures>> top(Map<LocalDate, DayFigures> days, ReportRange range,
			Dimension dimension, int limit) {
		Map<String, Figures> sums = new HashMap<>();
		days.forEach((day, d) -> {
			if (!day.isBefore(range.from()) && !day.isAfter(range.to())) {
				(dimension == Dimension.PARTNER ? d.partners() : d.stores())
						.forEach((k, f) -> sums.merge(k, f, Figures::plus));
			}
		});
		return sums.entrySet().stream()
				.sorted(Map.Entry.<String, Figures>comparingByValue(
						(a, b) -> Long.compare(b.issued() - b.redeemed(), a.issued() - a.redeemed()))
						.thenComparing(Map.Entry.comparingByKey()))
				.limit(limit).toList();
	}
}
