package io.fidelis.offers.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One targeting condition over a member fact: "spend in the last 30 days ≥ 100", "tier in
 * Gold, Platinum", "bought from category fuel". Evaluating one says whether it matched and what
 * the fact's value was at that moment, which is what an offer's explanation records.
 */
public record Condition(Fact fact, Operator operator, String value, Integer days) {

	public enum Fact {
		TIER(false), REGION(false), ENROLLED_DAYS(false), SPEND_LAST_DAYS(true), VISITS_LAST_DAYS(true),
		DAYS_SINCE_LAST_PURCHASE(false), BOUGHT_CATEGORY(false), BOUGHT_AT_STORE(false), POINTS_BALANCE(false),
		/** The month of the member's birthday: 1 to 12, or CURRENT for "this month". */
		BIRTH_MONTH(false);

		final boolean windowed;

		Fact(boolean windowed) {
			this.windowed = windowed;
		}

		boolean numeric() {
			return this == ENROLLED_DAYS || this == SPEND_LAST_DAYS || this == VISITS_LAST_DAYS
					|| this == DAYS_SINCE_LAST_PURCHASE || this == POINTS_BALANCE;
		}
	}

	public enum Operator {
		EQ, IN, GTE, LTE
	}

	/** Whether it matched, and the fact's value it was judged on (null: the member has no such fact yet). */
	public record Evaluated(String fact, String operator, String expected, boolean matched, String actual) {
	}

	private Evaluated judged(boolean matched, String actual) {
		return new Evaluated(fact.name() + (days == null ? "" : "(" + days + " days)"), operator.name(), value, matched, actual);
	}

	public Condition {
		if (fact == null || operator == null) {
			throw new InvalidOffer("conditions", "A condition names a fact and an operator");
		}
		value = value == null ? null : value.strip();
		if (value == null || value.isEmpty() || value.length() > 500) {
			throw new InvalidOffer("conditions", "Condition on " + fact + " needs a value of 1 to 500 characters");
		}
		if (fact.numeric()) {
			if (operator == Operator.IN) {
				throw new InvalidOffer("conditions", fact + " is a number: use EQ, GTE or LTE");
			}
			try {
				if (new BigDecimal(value).signum() < 0 || new BigDecimal(value).compareTo(BigDecimal.valueOf(1_000_000_000)) > 0) {
					throw new InvalidOffer("conditions", fact + " is compared with 0 to 1000000000, not " + value);
				}
			}
			catch (NumberFormatException e) {
				throw new InvalidOffer("conditions", fact + " is compared with a number, not '" + value + "'");
			}
		}
		else if (operator == Operator.GTE || operator == Operator.LTE) {
			throw new InvalidOffer("conditions", fact + " is a name: use EQ or IN");
		}
		if (fact == Fact.BIRTH_MONTH) {
			for (String month : value.split(",")) {
				String m = month.strip();
				if (!m.equalsIgnoreCase("CURRENT") && !m.matches("[1-9]|1[0-2]")) {
					throw new InvalidOffer("conditions", "BIRTH_MONTH is compared with months 1 to 12 or CURRENT, not '" + m + "'");
				}
			}
		}
		if (fact.windowed) {
			if (days == null || days < 1 || days > 365) {
				throw new InvalidOffer("conditions", fact + " looks at the last 1 to 365 days; say how many");
			}
		}
		else if (days != null) {
			throw new InvalidOffer("conditions", fact + " takes no number of days");
		}
	}

	Set<String> names() {
		return Arrays.stream(value.split(",")).map(v -> v.strip().toLowerCase(Locale.ROOT)).filter(v -> !v.isEmpty())
				.collect(Collectors.toSet());
	}

	public Evaluated evaluate(MemberFacts facts, Instant now) {
		return switch (fact) {
			case TIER -> named(facts.tier());
			case REGION -> named(facts.region());
			case BOUGHT_CATEGORY -> anyOf(facts.categories());
			case BOUGHT_AT_STORE -> anyOf(facts.stores());
			case ENROLLED_DAYS -> numeric(facts.enrolledAt() == null ? null
					: BigDecimal.valueOf(Duration.between(facts.enrolledAt(), now).toDays()));
			case SPEND_LAST_DAYS -> numeric(facts.spendSince(now, days));
			case VISITS_LAST_DAYS -> numeric(BigDecimal.valueOf(facts.visitsSince(now, days)));
			case DAYS_SINCE_LAST_PURCHASE -> numeric(facts.lastPurchaseAt() == null ? null
					: BigDecimal.valueOf(Duration.between(facts.lastPurchaseAt(), now).toDays()));
			case POINTS_BALANCE -> numeric(BigDecimal.valueOf(facts.balance()));
			case BIRTH_MONTH -> {
				String current = Integer.toString(now.atZone(java.time.ZoneOffset.UTC).getMonthValue());
				Set<String> wanted = names().stream().map(n -> n.equals("current") ? current : n).collect(Collectors.toSet());
				String actual = facts.birthMonth() == null ? null : facts.birthMonth().toString();
				yield judged(actual != null && wanted.contains(actual) && (operator == Operator.IN || wanted.size() == 1), actual);
			}
		};
	}

	private Evaluated named(String actual) {
		boolean matched = actual != null && names().contains(actual.toLowerCase(Locale.ROOT))
				&& (operator == Operator.IN || names().size() == 1);
		return judged(matched, actual);
	}

	private Evaluated anyOf(Set<String> actual) {
		boolean matched = actual.stream().map(a -> a.toLowerCase(Locale.ROOT)).anyMatch(names()::contains);
		return judged(matched, String.join(",", actual.stream().sorted().toList()));
	}

	private Evaluated numeric(BigDecimal actual) {
		if (actual == null) {
			return judged(false, null);
		}
		BigDecimal wanted = new BigDecimal(value);
		boolean matched = switch (operator) {
			case EQ -> actual.compareTo(wanted) == 0;
			case GTE -> actual.compareTo(wanted) >= 0;
			case LTE -> actual.compareTo(wanted) <= 0;
			case IN -> false;
		};
		return judged(matched, actual.stripTrailingZeros().toPlainString());
	}

	/**
	 * Refuses a set of conditions that overlap (the same condition twice) or contradict each
	 * other (a fact required ≥ 100 and ≤ 50, or equal to two different values), since such an
	 * offer could never be, or would be ambiguously, assigned.
	 */
	public static List<Condition> consistent(List<Condition> conditions) {
		List<Condition> list = conditions == null ? List.of() : List.copyOf(conditions);
		if (list.size() > 20) {
			throw new InvalidOffer("conditions", "An offer has at most 20 conditions");
		}
		for (int i = 0; i < list.size(); i++) {
			for (int j = i + 1; j < list.size(); j++) {
				Condition a = list.get(i);
				Condition b = list.get(j);
				if (a.fact != b.fact || !java.util.Objects.equals(a.days, b.days)) {
					continue;
				}
				if (a.equals(b)) {
					throw new InvalidOffer("conditions", "The condition " + a.describe() + " is given twice");
				}
				if (a.fact.numeric()) {
					BigDecimal low = bound(a, b, Operator.GTE);
					BigDecimal high = bound(a, b, Operator.LTE);
					BigDecimal eq = a.operator == Operator.EQ ? new BigDecimal(a.value) : b.operator == Operator.EQ ? new BigDecimal(b.value) : null;
					boolean impossible = low != null && high != null && low.compareTo(high) > 0
							|| eq != null && low != null && eq.compareTo(low) < 0 || eq != null && high != null && eq.compareTo(high) > 0
							|| a.operator == Operator.EQ && b.operator == Operator.EQ && new BigDecimal(a.value).compareTo(new BigDecimal(b.value)) != 0;
					if (impossible) {
						throw new InvalidOffer("conditions", a.describe() + " and " + b.describe() + " contradict each other");
					}
					if (a.operator == b.operator) {
						throw new InvalidOffer("conditions", a.describe() + " and " + b.describe() + " overlap; keep one");
					}
				}
				else if (a.fact != Fact.BOUGHT_CATEGORY && a.fact != Fact.BOUGHT_AT_STORE) {
					java.util.Set<String> common = new java.util.HashSet<>(a.names());
					common.retainAll(b.names());
					if (common.isEmpty()) {
						throw new InvalidOffer("conditions", a.describe() + " and " + b.describe() + " contradict each other");
					}
					throw new InvalidOffer("conditions", a.describe() + " and " + b.describe() + " overlap; keep one");
				}
			}
		}
		return list;
	}

	private static BigDecimal bound(Condition a, Condition b, Operator op) {
		BigDecimal found = null;
		for (Condition c : List.of(a, b)) {
			if (c.operator == op) {
				BigDecimal v = new BigDecimal(c.value);
				found = found == null ? v : op == Operator.GTE ? found.max(v) : found.min(v);
			}
		}
		return found;
	}

	public String describe() {
		return fact + (days == null ? "" : "(" + days + " days)") + " " + operator + " " + value;
	}
}
