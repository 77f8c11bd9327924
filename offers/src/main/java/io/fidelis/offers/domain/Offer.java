package io.fidelis.offers.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An offer in a program's catalog: what it gives (a points multiplier, bonus points, a reward
 * bought with points, a coupon), when it is valid, whom it targets (conditions, restrictions by
 * channel, region and tier), what triggers it, and its limits (per member, in total, a points
 * budget). Priority and stacking decide between multipliers that apply to the same purchase.
 */
public record Offer(String id, String programId, String name, Kind kind, BigDecimal multiplier, String multiplierCategory,
		long bonusPoints, long rewardCost, String couponDiscount, Instant validFrom, Instant validUntil, int capPerMember,
		long totalCap, long pointsBudget, int priority, boolean stackable, Set<String> channels, Set<String> regions,
		Set<String> tiers, Trigger trigger, List<Condition> conditions, boolean personalized, Instant createdAt) {

	public enum Kind {
		MULTIPLIER, BONUS, REWARD, COUPON
	}

	/** What assigns it: an event the member causes, a schedule, or nothing (members ask for it). */
	public enum Trigger {
		PURCHASE, ENROLLMENT, TIER_CHANGE, INACTIVITY, BIRTHDAY, NONE
	}

	public Offer {
		Objects.requireNonNull(id, "id");
		name = text("name", name, 120);
		if (kind == null) {
			throw new InvalidOffer("kind", "kind is MULTIPLIER, BONUS, REWARD or COUPON");
		}
		switch (kind) {
			case MULTIPLIER -> {
				if (multiplier == null || multiplier.compareTo(BigDecimal.ONE) <= 0 || multiplier.compareTo(BigDecimal.TEN) > 0
						|| multiplier.scale() > 2) {
					throw new InvalidOffer("multiplier", "A multiplier is more than 1 and at most 10, e.g. 2 or 1.5");
				}
			}
			case BONUS -> requirePoints("bonusPoints", bonusPoints);
			case REWARD -> requirePoints("rewardCost", rewardCost);
			case COUPON -> couponDiscount = text("couponDiscount", couponDiscount, 60);
		}
		multiplierCategory = multiplierCategory == null || multiplierCategory.isBlank() ? null
				: multiplierCategory.strip().toLowerCase(Locale.ROOT);
		if (validFrom == null || validUntil == null || !validUntil.isAfter(validFrom)) {
			throw new InvalidOffer("validUntil", "An offer's end must come after its start");
		}
		if (capPerMember < 1 || capPerMember > 1_000) {
			throw new InvalidOffer("capPerMember", "capPerMember is 1 to 1000");
		}
		if (totalCap < 0 || pointsBudget < 0) {
			throw new InvalidOffer("totalCap", "Caps and budgets are 0 (none) or more");
		}
		if (priority < 0 || priority > 1_000) {
			throw new InvalidOffer("priority", "priority is 0 to 1000 (higher first)");
		}
		channels = upper(channels);
		regions = upper(regions);
		tiers = tiers == null ? Set.of() : Set.copyOf(new TreeSet<>(tiers));
		if (trigger == null) {
			throw new InvalidOffer("trigger", "trigger is PURCHASE, ENROLLMENT, TIER_CHANGE, INACTIVITY, BIRTHDAY or NONE");
		}
		if (trigger == Trigger.INACTIVITY && conditions.stream().noneMatch(c -> c.fact() == Condition.Fact.DAYS_SINCE_LAST_PURCHASE)) {
			throw new InvalidOffer("conditions", "An INACTIVITY offer says how long: a DAYS_SINCE_LAST_PURCHASE condition");
		}
		conditions = Condition.consistent(conditions);
	}

	/** The offer as the catalog keeps it: its own id and the moment it was added. */
	public Offer identified(String newId, Instant at) {
		return new Offer(newId, programId, name, kind, multiplier, multiplierCategory, bonusPoints, rewardCost,
				couponDiscount, validFrom, validUntil, capPerMember, totalCap, pointsBudget, priority, stackable, channels,
				regions, tiers, trigger, conditions, personalized, at);
	}

	public boolean validAt(Instant at) {
		return !at.isBefore(validFrom) && at.isBefore(validUntil);
	}

	/** The restrictions and conditions, judged on the member's facts now, each with the value seen. */
	public List<Condition.Evaluated> judge(MemberFacts facts, String channel, Instant now) {
		List<Condition.Evaluated> judged = new ArrayList<>();
		if (!channels.isEmpty()) {
			judged.add(restriction("CHANNEL", channels, channel));
		}
		if (!regions.isEmpty()) {
			judged.add(restriction("REGION", regions, facts.region()));
		}
		if (!tiers.isEmpty()) {
			judged.add(new Condition.Evaluated("TIER", "IN", String.join(",", tiers),
					facts.tier() != null && tiers.stream().anyMatch(t -> t.equalsIgnoreCase(facts.tier())), facts.tier()));
		}
		for (Condition c : conditions) {
			judged.add(c.evaluate(facts, now));
		}
		return judged;
	}

	private static Condition.Evaluated restriction(String what, Set<String> allowed, String actual) {
		boolean matched = actual != null && allowed.contains(actual.toUpperCase(Locale.ROOT));
		return new Condition.Evaluated(what, "IN", String.join(",", allowed), matched, actual);
	}

	private static Set<String> upper(Set<String> values) {
		if (values == null) {
			return Set.of();
		}
		Set<String> out = new TreeSet<>();
		values.forEach(v -> out.add(v.strip().toUpperCase(Locale.ROOT)));
		return Set.copyOf(out);
	}

	private static void requirePoints(String field, long points) {
		if (points < 1 || points > 10_000_000) {
			throw new InvalidOffer(field, field + " is 1 to 10000000 points");
		}
	}

	static String text(String field, String value, int max) {
		if (value == null || value.isBlank() || value.strip().length() > max) {
			throw new InvalidOffer(field, field + " must be 1 to " + max + " characters");
		}
		return value.strip();
	}
}
