package io.fidelis.offers.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A member's progress in their program's challenges, kept from purchases: one record for all of
 * them, so that a purchase costs one write however many challenges run. An order counts once
 * (the last {@link #RECENT_ORDERS} counted are kept), and a challenge completes once, naming the
 * order that completed it.
 */
public record ChallengeProgress(String memberId, String programId, Map<String, Progress> challenges,
		List<String> recentOrders, long revision) {

	static final int RECENT_ORDERS = 64;
	/** Different stores kept per challenge at most (a stores target is at most 1000). */
	static final int MOST_STORES = 1_000;

	/**
	 * @param completedBy the order that reached the target; null while not reached
	 */
	public record Progress(long purchases, BigDecimal spend, List<String> stores, Instant completedAt,
			String completedBy, long streak, long lastWeek) {

		public Progress {
			spend = spend == null ? BigDecimal.ZERO : spend;
			stores = stores == null ? List.of() : List.copyOf(stores);
		}

		public Progress(long purchases, BigDecimal spend, List<String> stores, Instant completedAt, String completedBy) {
			this(purchases, spend, stores, completedAt, completedBy, 0, Long.MIN_VALUE);
		}

		static final Progress NONE = new Progress(0, BigDecimal.ZERO, List.of(), null, null);

		/** How far towards the target, 0 to 1, to four decimals at most (0.5, not 0.5000). */
		public BigDecimal share(Challenge c) {
			BigDecimal done = switch (c.goal()) {
				case PURCHASES -> BigDecimal.valueOf(purchases);
				case SPEND -> spend;
				case STORES -> BigDecimal.valueOf(stores.size());
				case STREAK_WEEKS -> BigDecimal.valueOf(streak);
			};
			return done.min(c.target()).divide(c.target(), 4, java.math.RoundingMode.DOWN).stripTrailingZeros();
		}

		boolean reached(Challenge c) {
			return share(c).compareTo(BigDecimal.ONE) >= 0;
		}
	}

	public ChallengeProgress {
		challenges = Map.copyOf(challenges == null ? Map.of() : challenges);
		recentOrders = List.copyOf(recentOrders == null ? List.of() : recentOrders);
	}

	public static ChallengeProgress of(String memberId, String programId) {
		return new ChallengeProgress(memberId, programId, Map.of(), List.of(), 0);
	}

	public Progress of(String challengeId) {
		return challenges.getOrDefault(challengeId, Progress.NONE);
	}

	/** One line of a purchase as challenges see it. */
	public record Line(String category, BigDecimal amount) {
	}

	/**
	 * @param after     the progress after the purchase (this one when it counted already)
	 * @param completed the challenges this order completed (also when it counted already: their
	 *                  reward is announced again, and paid once by its key)
	 */
	public record Applied(ChallengeProgress after, List<String> completed) {
	}

	/** The purchase {@code order} at {@code at}, counted towards every challenge running then. */
	public Applied purchased(String order, Instant at, List<Line> lines, String store, List<Challenge> running) {
		if (recentOrders.contains(order)) {
			return new Applied(this, running.stream().map(Challenge::challengeId)
					.filter(id -> order.equals(of(id).completedBy())).toList());
		}
		Map<String, Progress> next = new LinkedHashMap<>(challenges);
		List<String> completed = new ArrayList<>();
		for (Challenge c : running) {
			Progress p = of(c.challengeId());
			if (!c.runningAt(at) || p.completedAt() != null) {
				continue;
			}
			BigDecimal spent = lines.stream().filter(l -> c.category() == null || c.category().equals(l.category()))
					.map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
			boolean counts = c.category() == null || lines.stream().anyMatch(l -> c.category().equals(l.category()));
			if (!counts) {
				continue;
			}
			TreeSet<String> stores = new TreeSet<>(p.stores());
			if (c.goal() == Challenge.Goal.STORES && store != null && stores.size() < MOST_STORES) {
				stores.add(store); // kept only where counted: the progress document is written with every purchase
			}
			long week = week(at);
			long streak = p.streak();
			long lastWeek = p.lastWeek();
			if (c.goal() == Challenge.Goal.STREAK_WEEKS && week != lastWeek) {
				// a week right after the last extends the streak; a later one starts again; an earlier one (events
				// arrive in any order) changes nothing
				if (week == lastWeek + 1) {
					streak++;
					lastWeek = week;
				}
				else if (week > lastWeek) {
					streak = 1;
					lastWeek = week;
				}
			}
			Progress moved = new Progress(p.purchases() + 1, p.spend().add(spent), new ArrayList<>(stores), null, null, streak,
					lastWeek);
			if (moved.reached(c)) {
				moved = new Progress(moved.purchases(), moved.spend(), moved.stores(), at, order, streak, lastWeek);
				completed.add(c.challengeId());
			}
			next.put(c.challengeId(), moved);
		}
		List<String> orders = new ArrayList<>(recentOrders);
		orders.add(order);
		orders = orders.subList(Math.max(0, orders.size() - RECENT_ORDERS), orders.size());
		return new Applied(new ChallengeProgress(memberId, programId, next, orders, revision), completed);
	}

	/** The week of {@code at}: Mondays to Sundays in UTC, numbered from the week of 1970-01-01. */
	static long week(Instant at) {
		long day = at.atZone(java.time.ZoneOffset.UTC).toLocalDate().toEpochDay();
		return Math.floorDiv(day + 3, 7); // 1970-01-01 was a Thursday
	}

	public ChallengeProgress stored(long newRevision) {
		return new ChallengeProgress(memberId, programId, challenges, recentOrders, newRevision);
	}
}
