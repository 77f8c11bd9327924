package io.fidelis.members.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a member stands: monthly qualifying totals, the earned tier (with its next review) and
 * an optional manual tier that ends on a date. The effective tier is the manual one while it
 * lasts, and the earned one otherwise: a manual tier is never a permanent floor.
 *
 * @param applied the recent activity versions already counted, so that a redelivered event counts once
 */
public record TierStanding(String memberId, String programId, Map<String, long[]> monthly, String earnedTier,
		Instant earnedSince, Instant reviewAt, String manualTier, Instant manualUntil, Set<Long> applied, long revision) {

	static final int REMEMBERED = 500;

	public TierStanding {
		Objects.requireNonNull(memberId, "memberId");
		monthly = Map.copyOf(monthly);
		applied = Set.copyOf(applied);
	}

	public static TierStanding fresh(String memberId, String programId) {
		return new TierStanding(memberId, programId, Map.of(), null, null, null, null, null, Set.of(), 0);
	}

	public String effectiveTier(Instant now) {
		return manualTier != null && manualUntil != null && now.isBefore(manualUntil) ? manualTier : earnedTier;
	}

	/** A change of standing, and the tier change it causes (if any). */
	public record Update(TierStanding standing, Optional<String[]> change) {
	}

	/** Counts an activity (once per version) and re-evaluates. */
	public Update record(long points, int transactions, Instant at, long version, TierPolicy policy, ZoneId zone,
			Instant now) {
		return record(points, transactions, 0, at, version, policy, zone, now);
	}

	/** @param moneyHundredths money spent in the ladder's currency, in hundredths of a unit */
	public Update record(long points, int transactions, long moneyHundredths, Instant at, long version, TierPolicy policy,
			ZoneId zone, Instant now) {
		if (applied.contains(version)) {
			return new Update(this, Optional.empty());
		}
		Map<String, long[]> months = new HashMap<>(monthly);
		String month = YearMonth.from(at.atZone(zone)).toString();
		long[] totals = java.util.Arrays.copyOf(months.getOrDefault(month, new long[3]), 3);
		totals[0] = Math.addExact(totals[0], points);
		totals[1] = Math.addExact(totals[1], transactions);
		totals[2] = Math.addExact(totals[2], moneyHundredths);
		months.put(month, totals);
		// keep only the months a window can reach
		YearMonth oldest = YearMonth.from(now.atZone(zone)).minusMonths(policy.windowMonths() + 1L);
		months.keySet().removeIf(m -> YearMonth.parse(m).isBefore(oldest));
		Set<Long> seen = new LinkedHashSet<>(applied);
		seen.add(version);
		while (seen.size() > REMEMBERED) {
			seen.remove(seen.iterator().next());
		}
		TierStanding counted = new TierStanding(memberId, programId, months, earnedTier, earnedSince, reviewAt,
				manualTier, manualUntil, seen, revision);
		return counted.evaluate(policy, zone, now);
	}

	/** Upgrades at once; downgrades only once the review date has passed. Running it twice changes nothing. */
	public Update evaluate(TierPolicy policy, ZoneId zone, Instant now) {
		// what was in force until now: a manual tier stays on record until an evaluation ends it
		String before = manualTier != null ? manualTier : earnedTier;
		String qualified = policy.qualifiedFor(policy.qualifying(monthly, now, zone)).map(TierPolicy.Tier::name).orElse(null);
		String earned = earnedTier;
		Instant since = earnedSince;
		Instant review = reviewAt;
		String reason = null;
		if (policy.rank(qualified) > policy.rank(earnedTier)) {
			earned = qualified;
			since = now;
			review = policy.reviewAfter(now, zone);
			reason = "UPGRADE";
		}
		else if (earnedTier != null && review != null && !now.isBefore(review)) {
			if (policy.rank(qualified) < policy.rank(earnedTier)) {
				earned = qualified;
				since = now;
				reason = "DOWNGRADE";
			}
			review = policy.reviewAfter(now, zone); // kept (or lowered): the next period starts now
		}
		String manual = manualTier;
		Instant until = manualUntil;
		if (manual != null && until != null && !now.isBefore(until)) {
			manual = null;
			until = null;
			reason = reason == null ? "MANUAL_ENDED" : reason;
		}
		TierStanding after = new TierStanding(memberId, programId, monthly, earned, since, review, manual, until, applied,
				revision);
		String inForce = after.effectiveTier(now);
		Optional<String[]> change = Objects.equals(before, inForce) ? Optional.empty()
				: Optional.of(new String[] { before, inForce, reason == null ? "UPGRADE" : reason });
		return new Update(after, change);
	}

	/** Staff set a tier until a date; it ends by itself then. */
	public Update assign(String tier, Instant until, TierPolicy policy, Instant now) {
		if (policy.rank(tier) == 0) {
			throw new InvalidInput("tier", "'" + tier + "' is not a tier of this program");
		}
		if (until == null || !until.isAfter(now)) {
			throw new InvalidInput("until", "A manual tier ends on a date in the future");
		}
		String before = effectiveTier(now);
		TierStanding after = new TierStanding(memberId, programId, monthly, earnedTier, earnedSince, reviewAt, tier,
				until, applied, revision);
		return new Update(after, Objects.equals(before, tier) ? Optional.empty()
				: Optional.of(new String[] { before, tier, "MANUAL" }));
	}

	public TierStanding withRevision(long next) {
		return new TierStanding(memberId, programId, monthly, earnedTier, earnedSince, reviewAt, manualTier, manualUntil,
				applied, next);
	}
}
