package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * A coalition merchant: it earns members points at its own rates, and settles with the program:
 * it pays {@code issueCost} for each point its customers earned, and is paid {@code redemptionValue}
 * for each point they spent with it, both in {@code settlementCurrency}.
 */
public record Partner(String programId, String partnerId, String name, Map<String, EarnRate> earnRates,
		BigDecimal issueCost, BigDecimal redemptionValue, String settlementCurrency) {

	public Partner {
		partnerId = Purchase.name("partnerId", partnerId, 64);
		if (!partnerId.matches("[A-Za-z0-9_-]+")) {
			throw new InvalidPoints("partnerId", "A partner id is letters, digits, _ and -");
		}
		name = Purchase.name("name", name, 120);
		if (earnRates == null || earnRates.isEmpty()) {
			throw new InvalidPoints("earnRates", "A partner earns in at least one currency");
		}
		earnRates = Map.copyOf(new TreeMap<>(earnRates));
		issueCost = money("issueCost", issueCost);
		redemptionValue = money("redemptionValue", redemptionValue);
		if (settlementCurrency == null || !settlementCurrency.matches("[A-Z]{3}")) {
			throw new InvalidPoints("settlementCurrency", "settlementCurrency is an ISO 4217 code such as EUR");
		}
	}

	private static BigDecimal money(String field, BigDecimal value) {
		if (value == null || value.signum() < 0 || value.scale() > 6 || value.compareTo(BigDecimal.valueOf(1_000)) > 0) {
			throw new InvalidPoints(field, field + " is 0 to 1000 per point, with at most 6 decimals");
		}
		return value;
	}
}
