package io.fidelis.offers.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What offers knows of a member, kept from events: tier, region, enrolment, marketing consent,
 * points balance, and their purchases (spend and visits per day for a year, categories and stores
 * bought from, the last purchase). Offers judges conditions on these alone.
 */
public record MemberFacts(String memberId, String programId, String tier, String region, Instant enrolledAt,
		boolean marketingConsent, long balance, long balanceVersion, Map<LocalDate, BigDecimal> dailySpend,
		Map<LocalDate, Integer> dailyVisits, Set<String> categories, Set<String> stores, Instant lastPurchaseAt,
		long revision, Integer birthMonth, java.util.List<String> recentOrders) {

	static final int KEPT_DAYS = 366;
	static final int MAX_NAMES = 200;
	/**
	 * The last orders counted, by client and order id: an order announced again (a till's retry
	 * announces it again when its first attempt may not have; the event registry may redeliver)
	 * is counted once.
	 */
	static final int RECENT_ORDERS = 32;

	public MemberFacts(String memberId, String programId, String tier, String region, Instant enrolledAt,
			boolean marketingConsent, long balance, long balanceVersion, Map<LocalDate, BigDecimal> dailySpend,
			Map<LocalDate, Integer> dailyVisits, Set<String> categories, Set<String> stores, Instant lastPurchaseAt,
			long revision, Integer birthMonth) {
		this(memberId, programId, tier, region, enrolledAt, marketingConsent, balance, balanceVersion, dailySpend,
				dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth, java.util.List.of());
	}

	public MemberFacts {
		dailySpend = new TreeMap<>(dailySpend == null ? Map.of() : dailySpend);
		dailyVisits = new TreeMap<>(dailyVisits == null ? Map.of() : dailyVisits);
		categories = new TreeSet<>(categories == null ? Set.of() : categories);
		stores = new TreeSet<>(stores == null ? Set.of() : stores);
		recentOrders = recentOrders == null ? java.util.List.of() : java.util.List.copyOf(recentOrders);
	}

	public static MemberFacts of(String memberId, String programId) {
		return new MemberFacts(memberId, programId, null, null, null, false, 0, 0, Map.of(), Map.of(), Set.of(), Set.of(),
				null, 0, null);
	}

	public MemberFacts enrolled(Instant at) {
		return new MemberFacts(memberId, programId, tier, region, at, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth, recentOrders);
	}

	public MemberFacts withTier(String newTier) {
		return new MemberFacts(memberId, programId, newTier, region, enrolledAt, marketingConsent, balance,
				balanceVersion, dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth, recentOrders);
	}

	/** Only the month: birthday offers need no more of a person's birth date. */
	public MemberFacts withBirthMonth(Integer month) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, month, recentOrders);
	}

	public MemberFacts withConsent(boolean consent) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, consent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth, recentOrders);
	}

	/** A newer balance only: events arrive in any order. */
	public MemberFacts withBalance(long newBalance, long version) {
		if (version <= balanceVersion) {
			return this;
		}
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, newBalance, version,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth, recentOrders);
	}

	/** A purchase: one visit, its spend, its categories and store; days older than a year are dropped. */
	public MemberFacts purchased(Instant at, BigDecimal spend, Set<String> boughtCategories, String store,
			String purchaseRegion) {
		return purchased(null, at, spend, boughtCategories, store, purchaseRegion);
	}

	/** As {@link #purchased(Instant, BigDecimal, Set, String, String)}, once per {@code order} (null: no order to tell by). */
	public MemberFacts purchased(String order, Instant at, BigDecimal spend, Set<String> boughtCategories, String store,
			String purchaseRegion) {
		if (order != null && recentOrders.contains(order)) {
			return this;
		}
		java.util.List<String> orders = recentOrders;
		if (order != null) {
			java.util.List<String> longer = new java.util.ArrayList<>(recentOrders);
			longer.add(order);
			orders = longer.subList(Math.max(0, longer.size() - RECENT_ORDERS), longer.size());
		}
		LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
		TreeMap<LocalDate, BigDecimal> spends = new TreeMap<>(dailySpend);
		TreeMap<LocalDate, Integer> visits = new TreeMap<>(dailyVisits);
		spends.merge(day, spend, BigDecimal::add);
		visits.merge(day, 1, Integer::sum);
		LocalDate oldest = day.minusDays(KEPT_DAYS);
		spends.headMap(oldest).clear();
		visits.headMap(oldest).clear();
		Set<String> cats = new TreeSet<>(categories);
		boughtCategories.forEach(c -> {
			if (cats.size() < MAX_NAMES) {
				cats.add(c);
			}
		});
		Set<String> shops = new TreeSet<>(stores);
		if (store != null && shops.size() < MAX_NAMES) {
			shops.add(store);
		}
		return new MemberFacts(memberId, programId, tier, purchaseRegion != null ? purchaseRegion : region, enrolledAt,
				marketingConsent, balance, balanceVersion, spends, visits, cats, shops,
				lastPurchaseAt == null || at.isAfter(lastPurchaseAt) ? at : lastPurchaseAt, revision, birthMonth, orders);
	}

	public MemberFacts stored(long newRevision) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, newRevision, birthMonth, recentOrders);
	}

	BigDecimal spendSince(Instant now, int days) {
		LocalDate from = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(days - 1L);
		return ((TreeMap<LocalDate, BigDecimal>) dailySpend).tailMap(from, true).values().stream()
				.reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	int visitsSince(Instant now, int days) {
		LocalDate from = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(days - 1L);
		return ((TreeMap<LocalDate, Integer>) dailyVisits).tailMap(from, true).values().stream().mapToInt(i -> i).sum();
	}
}
