package io.fidelis.reporting.domain;

import java.time.LocalDate;
import java.time.temporal.IsoFields;

/** How report rows cut time: by day, ISO week or month (in the program's time zone). */
public enum Grouping {
	DAY, WEEK, MONTH;

	public String label(LocalDate day) {
		return switch (this) {
			case DAY -> day.toString();
			case WEEK -> String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
			case MONTH -> day.toString().substring(0, 7);
		};
	}
}
