package io.fidelis.reporting.application;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Totals;

/** Where reporting keeps what it was told and what it counted. */
public interface ReportStore {

	/**
	 * Keeps the activity and adds it to its day and to the program's totals, once, however often
	 * the same activity (same id) comes again, including after a crash half-way.
	 */
	void fold(Activity activity, LocalDate day);

	/**
	 * Whether {@code activityId} is the member's first activity of each period (day, week,
	 * month); asking again for the same activity gives the same answer.
	 */
	Firsts claimFirsts(String program, String member, LocalDate day, String activityId);

	record Firsts(boolean day, boolean week, boolean month) {
	}

	/** As {@link #fold}, for many activities together: a few writes for the whole batch. */
	void foldAll(List<Folding> batch);

	/** As {@link #claimFirsts}, for many activities together, in their order; answers by activity id. */
	Map<String, Firsts> claimFirstsAll(List<FirstsClaim> claims);

	record Folding(Activity activity, LocalDate day) {
	}

	record FirstsClaim(String program, String member, LocalDate day, String activityId) {
	}

	/** Stored days of a program within the range (days with nothing counted are absent). */
	Map<LocalDate, DayFigures> days(String program, LocalDate from, LocalDate to);

	Totals totals(String program);

	/** Every activity kept for the program, for a rebuild. */
	List<Activity> activities(String program);

	/** Replaces a program's counted days and totals with a fresh count. */
	void replace(String program, Map<LocalDate, DayFigures> days, Totals totals);

	Optional<ReportSettings> settings(String program);

	void save(ReportSettings settings);
}
