package io.fidelis.points.application;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The work the clock drives: pending points become spendable and points expire, raising
 * {@code PointsActivated} and {@code PointsExpired}. One node at a time does it (a lease in the
 * store); running it twice, or on two nodes after a lease moved, changes nothing, because each
 * account only catches up with what is due.
 */
@Service
public class ClockWork {

	private static final Logger log = LoggerFactory.getLogger(ClockWork.class);
	static final Duration LEASE = Duration.ofMinutes(5);
	/** How far back a node without any record looks for unfinished days. */
	static final int FIRST_LOOK_BACK_DAYS = 800;

	private final Schedule schedule;
	private final MovingPoints moving;
	private final Clock clock;
	private final AccountStore accounts;
	private final String node = UUID.randomUUID().toString();

	ClockWork(Schedule schedule, MovingPoints moving, AccountStore accounts, Clock clock) {
		this.schedule = schedule;
		this.moving = moving;
		this.accounts = accounts;
		this.clock = clock;
	}

	/**
	 * Settles the changes that a crash or a store outage left journalled but unsettled (history,
	 * events, results), on accounts nobody has touched since. Safe on every node at any time: it
	 * takes each account's turn like any request. Not under the clockwork's lease, which a killed
	 * node holds until it runs out: waiting for it held back the events of a crash for minutes.
	 */
	public int settleLeftovers() {
		List<String> members = accounts.withUnsettledEntries();
		for (String member : members) {
			moving.catchUp(member);
		}
		if (!members.isEmpty()) {
			log.info("Settled what a crash or an outage left on {} accounts", members.size());
		}
		return members.size();
	}

	/** Catches up every account with something due by now; returns how many accounts were visited. */
	public int runDue() {
		if (!schedule.lease("points-clockwork", node, clock.instant(), LEASE)) {
			return 0;
		}
		LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
		LocalDate day = schedule.lastCompletedDay().map(d -> d.plusDays(1))
				.orElse(today.minusDays(FIRST_LOOK_BACK_DAYS));
		int visited = 0;
		for (; !day.isAfter(today); day = day.plusDays(1)) {
			for (String member : schedule.dueOn(day)) {
				moving.catchUp(member);
				visited++;
			}
			if (day.isBefore(today)) {
				schedule.completed(day); // today's list may still grow, so today is never closed
			}
		}
		if (visited > 0) {
			log.info("Points clockwork visited {} accounts", visited);
		}
		return visited;
	}
}
