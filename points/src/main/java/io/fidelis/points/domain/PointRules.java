package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a program's points work: earn rates per currency, the smallest redemption, how long
 * points stay pending, when they expire, what refunds may take back, and whether members may
 * spend by themselves (in the app) or only through the program's tills and shops.
 */
public record PointRules(String programId, ZoneId timeZone, Map<String, EarnRate> earnRates, long minimumRedemption,
		int pendingDays, ExpiryPolicy expiry, ReturnPolicy returns, boolean membersMayRedeem, Set<Channel> channels) {

	/** Rules for a program on every channel. */
	public PointRules(String programId, ZoneId timeZone, Map<String, EarnRate> earnRates, long minimumRedemption,
			int pendingDays, ExpiryPolicy expiry, ReturnPolicy returns, boolean membersMayRedeem) {
		this(programId, timeZone, earnRates, minimumRedemption, pendingDays, expiry, returns, membersMayRedeem,
				java.util.EnumSet.allOf(Channel.class));
	}

	public boolean runsOn(Channel channel) {
		return channels.contains(channel);
	}

	public PointRules {
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(timeZone, "timeZone");
		if (earnRates == null || earnRates.isEmpty()) {
			throw new InvalidPoints("earnRates", "A program earns in at least one currency");
		}
		earnRates = Map.copyOf(new TreeMap<>(earnRates));
		if (minimumRedemption < 1 || minimumRedemption > Points.MAX_PER_OPERATION) {
			throw new InvalidPoints("minimumRedemption", "minimumRedemption is at least 1 point");
		}
		if (pendingDays < 0 || pendingDays > 365) {
			throw new InvalidPoints("pendingDays", "pendingDays is 0 to 365");
		}
		Objects.requireNonNull(expiry, "expiry");
		Objects.requireNonNull(returns, "returns");
		if (channels == null || channels.isEmpty()) {
			throw new InvalidPoints("channels", "A program runs on at least one channel");
		}
		channels = Set.copyOf(channels);
	}

	/** What a program starts with: one point per unit of each currency, rounded down, spendable at once, never expiring. */
	public static PointRules defaults(String programId, ZoneId zone, Set<String> currencies) {
		return defaults(programId, zone, currencies, java.util.EnumSet.allOf(Channel.class));
	}

	public static PointRules defaults(String programId, ZoneId zone, Set<String> currencies, Set<Channel> channels) {
		Map<String, EarnRate> rates = new TreeMap<>();
		currencies.forEach(c -> rates.put(c, new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)));
		return new PointRules(programId, zone, rates, 1, 0, new ExpiryPolicy.Never(), ReturnPolicy.WITHIN_BALANCE, true,
				channels);
	}

	/** The same rules with points spendable at once (adjustments and transfers are not purchases). */
	PointRules withoutPendingPeriod() {
		return new PointRules(programId, timeZone, earnRates, minimumRedemption, 0, expiry, returns, membersMayRedeem,
				channels);
	}

	public Optional<EarnRate> rateFor(String currency) {
		return Optional.ofNullable(earnRates.get(currency));
	}

	Instant availableAt(Instant earnedAt) {
		return earnedAt.plus(Duration.ofDays(pendingDays));
	}

	Instant expiresAt(Instant earnedAt) {
		return expiry.expiryOf(earnedAt, timeZone);
	}
}
