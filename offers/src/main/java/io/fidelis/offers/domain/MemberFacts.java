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
		long revision, Integer birthMonth) {

	static final int KEPT_DAYS = 366;
	static final int MAX_NAMES = 200;

	public MemberFacts {
		dailySpend = new TreeMap<>(dailySpend == null ? Map.of() : dailySpend);
		dailyVisits = new TreeMap<>(dailyVisits == null ? Map.of() : dailyVisits);
		categories = new TreeSet<>(categories == null ? Set.of() : categories);
		stores = new TreeSet<>(stores == null ? Set.of() : stores);
	}

	public static MemberFacts of(String memberId, String programId) {
		return new MemberFacts(memberId, programId, null, null, null, false, 0, 0, Map.of(), Map.of(), Set.of(), Set.of(),
				null, 0, null);
	}

	public MemberFacts enrolled(Instant at) {
		return new MemberFacts(memberId, programId, tier, region, at, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth);
	}

	public MemberFacts withTier(String newTier) {
		return new MemberFacts(memberId, programId, newTier, region, enrolledAt, marketingConsent, balance,
				balanceVersion, dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth);
	}

	/** Only the month: birthday offers need no more of a person's birth date. */
	public MemberFacts withBirthMonth(Integer month) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, month);
	}

	public MemberFacts withConsent(boolean consent) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, consent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth);
	}

	/** A newer balance only: events arrive in any order. */
	public MemberFacts withBalance(long newBalance, long version) {
		if (version <= balanceVersion) {
			return this;
		}
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, newBalance, version,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, revision, birthMonth);
	}

	/** A purchase: one visit, its spend, its categories and store; days older than a year are dropped. */
	public MemberFacts purchased(Instant at, BigDecimal spend, Set<String> boughtCategories, String store,
			String purchaseRegion) {
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
				lastPurchaseAt == null || at.isAfter(lastPurchaseAt) ? at : lastPurchaseAt, revision, birthMonth);
	}

	public MemberFacts stored(long newRevision) {
		return new MemberFacts(memberId, programId, tier, region, enrolledAt, marketingConsent, balance, balanceVersion,
				dailySpend, dailyVisits, categories, stores, lastPurchaseAt, newRevision, birthMonth);
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
