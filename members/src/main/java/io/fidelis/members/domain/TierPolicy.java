package io.fidelis.members.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program's tier ladder and how members qualify: points earned, money spent (in one currency,
 * in whole units), or number of purchases, in the last N months (counted in the program's time zone). Upgrades are immediate; a member keeps
 * a tier until the end of the qualification period that follows reaching it, plus a grace period.
 */
public record TierPolicy(List<Tier> ladder, Metric metric, int windowMonths, int graceDays, String currency) {

	public enum Metric { POINTS_EARNED, MONEY_SPENT, TRANSACTIONS }

	/** A policy that does not count money. */
	public TierPolicy(List<Tier> ladder, Metric metric, int windowMonths, int graceDays) {
		this(ladder, metric, windowMonths, graceDays, null);
	}

	public record Tier(String name, long threshold) {
		public Tier {
			name = InvalidInput.requireText("tiers", name, 40);
			if (threshold < 1) {
				throw new InvalidInput("tiers", "A tier's threshold is at least 1");
			}
		}
	}

	public TierPolicy {
		if (ladder == null || ladder.isEmpty() || ladder.size() > 10) {
			throw new InvalidInput("tiers", "A ladder has 1 to 10 tiers");
		}
		ladder = ladder.stream().sorted(Comparator.comparingLong(Tier::threshold)).toList();
		if (ladder.stream().map(Tier::name).distinct().count() != ladder.size()
				|| ladder.stream().map(Tier::threshold).distinct().count() != ladder.size()) {
			throw new InvalidInput("tiers", "Tier names and thresholds must all differ");
		}
		Objects.requireNonNull(metric, "metric");
		if (windowMonths < 1 || windowMonths > 36) {
			throw new InvalidInput("windowMonths", "windowMonths is 1 to 36");
		}
		if (graceDays < 0 || graceDays > 365) {
			throw new InvalidInput("graceDays", "graceDays is 0 to 365");
		}
		if (metric == Metric.MONEY_SPENT && (currency == null || !currency.matches("[A-Z]{3}"))) {
			throw new InvalidInput("currency", "A ladder on money spent names its currency, e.g. EUR");
		}
		currency = metric == Metric.MONEY_SPENT ? currency : null;
	}

	/** The qualifying total over the window ending at {@code now}, from monthly totals keyed "2026-11". */
	public long qualifying(Map<String, long[]> monthly, Instant now, ZoneId zone) {
		YearMonth current = YearMonth.from(now.atZone(zone));
		long total = 0;
		for (int i = 0; i < windowMonths; i++) {
			long[] month = monthly.get(current.minusMonths(i).toString());
			if (month != null) {
				total += switch (metric) {
					case POINTS_EARNED -> month[0];
					case TRANSACTIONS -> month[1];
					case MONEY_SPENT -> month.length > 2 ? month[2] : 0;
				};
			}
		}
		return Math.max(0, metric == Metric.MONEY_SPENT ? total / 100 : total);
	}

	/** The highest tier the total reaches, if any. */
	public Optional<Tier> qualifiedFor(long total) {
		Tier reached = null;
		for (Tier tier : ladder) {
			if (total >= tier.threshold()) {
				reached = tier;
			}
		}
		return Optional.ofNullable(reached);
	}

	public int rank(String tierName) {
		for (int i = 0; i < ladder.size(); i++) {
			if (ladder.get(i).name().equals(tierName)) {
				return i + 1;
			}
		}
		return 0;
	}

	/** The next tier above the total, and how much is missing: "320 points to Gold". */
	public Optional<Progress> progress(long total) {
		return ladder.stream().filter(t -> t.threshold() > total).findFirst()
				.map(t -> new Progress(t.name(), t.threshold() - total, metric, currency));
	}

	public record Progress(String nextTier, long missing, Metric metric, String currency) {
		public String describe() {
			String unit = switch (metric) {
				case POINTS_EARNED -> " points";
				case MONEY_SPENT -> " " + currency;
				case TRANSACTIONS -> missing == 1 ? " purchase" : " purchases";
			};
			return missing + unit + " to " + nextTier;
		}
	}

	/** When a tier reached at {@code since} is next reviewed for a downgrade. */
	public Instant reviewAfter(Instant since, ZoneId zone) {
		return since.atZone(zone).plusMonths(windowMonths).plusDays(graceDays).toInstant();
	}
}
