package io.fidelis.reporting.domain;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Inclusive days of a report, at most five years long. */
public record ReportRange(LocalDate from, LocalDate to) {

	public static final int MAX_YEARS = 5;

	public ReportRange {
		if (to.isBefore(from)) {
			throw new InvalidReport("to", "The range ends (" + to + ") before it starts (" + from + ")");
		}
		if (to.isAfter(from.plusYears(MAX_YEARS))) {
			throw new InvalidReport("to", "A report covers at most " + MAX_YEARS + " years; narrow the range");
		}
	}

	public static ReportRange parse(String from, String to) {
		return new ReportRange(day("from", from), day("to", to));
	}

	private static LocalDate day(String field, String text) {
		try {
			return LocalDate.parse(text == null ? "" : text.strip());
		}
		catch (DateTimeParseException e) {
			throw new InvalidReport(field, field + " must be a day such as 2026-11-27, not '" + text + "'");
		}
	}

	public long days() {
		return to.toEpochDay() - from.toEpochDay() + 1;
	}
}
