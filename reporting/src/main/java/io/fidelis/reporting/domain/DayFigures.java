package io.fidelis.reporting.domain;

import java.time.LocalDate;
import java.util.Map;

/**
 * Everything counted for one program on one day: figures by region and channel, by store and by
 * partner, and how many members entered (+) or left (-) each tier and the program.
 */
public record DayFigures(LocalDate day, Map<Slice, Figures> slices, Map<String, Figures> stores,
		Map<String, Figures> partners, Map<String, Long> tierChanges, long memberChange) {

	/** Where activity happened; null parts mean the caller did not say. */
	public record Slice(String region, String channel) {
	}

	public DayFigures {
		slices = Map.copyOf(slices);
		stores = Map.copyOf(stores);
		partners = Map.copyOf(partners);
		tierChanges = Map.copyOf(tierChanges);
	}

	public Figures total() {
		return slices.values().stream().reduce(Figures.NONE, Figures::plus);
	}
}
