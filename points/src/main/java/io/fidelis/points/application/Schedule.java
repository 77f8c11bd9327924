package io.fidelis.points.application;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * Which accounts have something due on which (UTC) day: pending points to activate, points to
 * expire. Kept as one document per day, so the clock-driven work reads a handful of exact keys
 * instead of scanning every account.
 */
public interface Schedule {

	/** Remembers many members' due moments at once, in one write per day touched. */
	void remember(java.util.Collection<Due> dues);

	/** Something due on {@code memberId}'s account at {@code at}. */
	record Due(String memberId, Instant at) {
	}

	Set<String> dueOn(LocalDate day);

	Optional<LocalDate> lastCompletedDay();

	void completed(LocalDate day);

	/** Takes or renews the lease on {@code job} for {@code holder}; false while another node holds it. */
	boolean lease(String job, String holder, Instant now, java.time.Duration length);
}
