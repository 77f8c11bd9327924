package io.fidelis.reporting.domain;

import java.util.Map;

/** A program's figures now: outstanding points, members per tier ("" for none) and members. */
public record Totals(long points, Map<String, Long> tiers, long members) {

	public static final Totals NONE = new Totals(0, Map.of(), 0);

	public Totals {
		tiers = Map.copyOf(tiers);
	}
}
