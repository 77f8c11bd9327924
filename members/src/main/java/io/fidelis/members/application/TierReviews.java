package io.fidelis.members.application;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * Which members have a tier review or the end of a manual tier on which (UTC) day, one document
 * per day, so the tier clockwork reads exact keys instead of scanning every member.
 */
public interface TierReviews {

	void remember(String memberId, Instant due);

	Set<String> dueOn(LocalDate day);

	Optional<LocalDate> lastCompletedDay();

	void completed(LocalDate day);

	/** Takes or renews the lease for {@code holder}; false while another node holds it. */
	boolean lease(String holder, Instant now, java.time.Duration length);
}
