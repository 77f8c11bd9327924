package io.fidelis.members.application;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;

/**
 * Applies due tier reviews (downgrades after the qualification period and grace) and ends
 * manual tiers on their date, so a member who is neither active nor looked at still gets their
 * {@code TierChanged} on time. One node at a time (a lease); running twice changes nothing.
 */
@Service
public class TierClockWork {

	static final int FIRST_LOOK_BACK_DAYS = 800;

	private final TierReviews reviews;
	private final KeepingTiers tiers;
	private final Clock clock;
	private final String node = UUID.randomUUID().toString();

	TierClockWork(TierReviews reviews, KeepingTiers tiers, Clock clock) {
		this.reviews = reviews;
		this.tiers = tiers;
		this.clock = clock;
	}

	public int runDue() {
		if (!reviews.lease(node, clock.instant(), Duration.ofMinutes(5))) {
			return 0;
		}
		LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
		LocalDate day = reviews.lastCompletedDay().map(d -> d.plusDays(1)).orElse(today.minusDays(FIRST_LOOK_BACK_DAYS));
		int visited = 0;
		for (; !day.isAfter(today); day = day.plusDays(1)) {
			for (String member : reviews.dueOn(day)) {
				tiers.standing(new MemberId(member)); // evaluates, saves and announces what is due
				visited++;
			}
			if (day.isBefore(today)) {
				reviews.completed(day);
			}
		}
		return visited;
	}
}
