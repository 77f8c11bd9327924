package io.fidelis.offers.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Offer;
import io.fidelis.points.PurchaseMultipliers;

/**
 * What points asks while it prices a purchase: the member's activated multiplier offers that
 * are valid and allowed on this channel. Stackable ones multiply together; of the others only the
 * highest priority applies (per category, or to the whole purchase).
 */
@Service
public class OfferMultipliers implements PurchaseMultipliers {

	private final OfferStore store;
	private final Clock clock;

	OfferMultipliers(OfferStore store, Clock clock) {
		this.store = store;
		this.clock = clock;
	}

	@Override
	public Map<String, BigDecimal> multipliersFor(MemberId member, ProgramId program, String storeId, String partner,
			String channel, List<String> skus, List<String> categories) {
		Instant now = clock.instant();
		List<Offer> active = new ArrayList<>();
		for (Assignment a : store.assignmentsOf(member.value())) {
			if (a.kind() == Offer.Kind.MULTIPLIER && a.status() == Assignment.Status.ACTIVATED && !a.expiredAt(now)) {
				store.offer(a.offerId()).filter(o -> o.validAt(now))
						.filter(o -> o.channels().isEmpty() || channel != null && o.channels().contains(channel))
						.filter(o -> o.multiplierCategory() == null || categories.contains(o.multiplierCategory()))
						.ifPresent(active::add);
			}
		}
		active.sort(Comparator.comparingInt(Offer::priority).reversed().thenComparing(Offer::id));
		Map<String, BigDecimal> factors = new LinkedHashMap<>();
		java.util.Set<String> exclusiveTaken = new java.util.HashSet<>();
		for (Offer o : active) {
			String key = o.multiplierCategory() == null ? "*" : "category:" + o.multiplierCategory();
			if (!o.stackable()) {
				if (!exclusiveTaken.add(key)) {
					continue; // a higher-priority exclusive offer already applies here
				}
			}
			factors.merge(key, o.multiplier(), BigDecimal::multiply);
		}
		if (factors.containsKey("*")) {
			// points apply the most specific key to a line: fold the whole-purchase factor into each category's
			BigDecimal all = factors.get("*");
			factors.replaceAll((k, v) -> k.equals("*") ? v : v.multiply(all));
		}
		return factors;
	}
}
