package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A purchase at a till or web shop, checked on arrival: its lines must add up to its total, to
 * the currency's minor unit; so a receipt garbled on its way is refused rather than half believed.
 */
public record Purchase(String orderId, String store, String partner, Channel channel, String region, String currency,
		List<PurchaseLine> lines, BigDecimal total) {

	public static final int MAX_LINES = 500;
	static final BigDecimal MAX_TOTAL = BigDecimal.valueOf(1_000_000_000_000L);

	public Purchase {
		orderId = name("orderId", orderId, 100);
		if (!orderId.matches("[A-Za-z0-9._:/-]+")) {
			throw new InvalidPoints("orderId", "An order id is letters, digits and . _ : / -");
		}
		store = store == null || store.isBlank() ? null : name("store", store, 64);
		partner = partner == null || partner.isBlank() ? null : name("partner", partner, 64);
		if (store == null && partner == null) {
			throw new InvalidPoints("store", "Say where the purchase happened: a store, a partner, or both");
		}
		if (channel == null) {
			throw new InvalidPoints("channel", "channel is ONLINE, IN_STORE, APP or PARTNER");
		}
		if (currency == null || !currency.matches("[A-Z]{3}")) {
			throw new InvalidPoints("currency", "currency is an ISO 4217 code such as EUR");
		}
		if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
			throw new InvalidPoints("lines", "A purchase has 1 to " + MAX_LINES + " lines");
		}
		lines = List.copyOf(lines);
		// bounded before it is printed or compared: 1e999999999 would print a billion zeros
		if (total == null || total.signum() < 0 || total.scale() > 4 || total.compareTo(MAX_TOTAL) > 0) {
			throw new InvalidPoints("total", "total is a sum of money, 0 to " + MAX_TOTAL.toPlainString()
					+ ", with at most 4 decimals");
		}
		BigDecimal sum = lines.stream().map(l -> l.amount(fractionDigits(currency))).reduce(BigDecimal.ZERO, BigDecimal::add);
		if (sum.compareTo(total) != 0) {
			throw new InvalidPoints("total", "The lines add up to " + sum.toPlainString() + " " + currency + ", not "
					+ total.toPlainString());
		}
	}

	/** Points one line earned, exactly (before the purchase's total is rounded once). */
	public record LinePoints(String sku, BigDecimal points) {
	}

	/** What the purchase earns: per line, then the sum rounded once. */
	public record Earning(List<LinePoints> lines, long points) {
	}

	/**
	 * Points for this purchase: each line at its category's rate if the program has one, else at
	 * the partner's rate (a coalition purchase) or the program's rate for the currency, times any
	 * offer multiplier for the line. Rounded once, at the end, as the base rate says.
	 */
	public Earning earning(EarnRate baseRate, Map<String, CategoryRate> categoryRates, Map<String, BigDecimal> multipliers) {
		List<LinePoints> perLine = new ArrayList<>();
		BigDecimal sum = BigDecimal.ZERO;
		for (PurchaseLine line : lines) {
			CategoryRate special = categoryRates.get(line.category());
			BigDecimal points;
			if (special == null) {
				points = line.amount(fractionDigits(currency)).multiply(baseRate.pointsPerUnit());
			}
			else if (special.basis() == CategoryRate.Basis.QUANTITY) {
				points = line.quantity().multiply(special.points());
			}
			else {
				points = line.amount(fractionDigits(currency)).multiply(special.points());
			}
			BigDecimal multiplier = Optional.ofNullable(multipliers.get(line.sku()))
					.or(() -> Optional.ofNullable(multipliers.get("category:" + line.category())))
					.orElse(multipliers.getOrDefault("*", BigDecimal.ONE));
			points = points.multiply(multiplier);
			perLine.add(new LinePoints(line.sku(), points.stripTrailingZeros()));
			sum = sum.add(points);
		}
		BigDecimal rounded = sum.setScale(0, baseRate.rounding());
		if (rounded.compareTo(BigDecimal.valueOf(Points.MAX_PER_OPERATION)) > 0) {
			throw new InvalidPoints("total", "That purchase earns more than " + Points.MAX_PER_OPERATION + " points");
		}
		return new Earning(perLine, rounded.longValueExact());
	}

	/**
	 * Points returns have taken back once {@code returnedBySku} of the purchase is back: each
	 * line's share of what it earned, in proportion to the quantity returned, summed and rounded
	 * down; everything the purchase earned once every line is back in full. Working from the
	 * running total keeps a series of partial returns from taking more, or less, than the whole.
	 */
	public static long takenBack(long earned, Map<String, BigDecimal> earnedBySku, Map<String, BigDecimal> boughtBySku,
			Map<String, BigDecimal> returnedBySku) {
		boolean all = boughtBySku.entrySet().stream()
				.allMatch(b -> returnedBySku.getOrDefault(b.getKey(), BigDecimal.ZERO).compareTo(b.getValue()) >= 0);
		if (all) {
			return earned;
		}
		BigDecimal sum = BigDecimal.ZERO;
		for (Map.Entry<String, BigDecimal> r : returnedBySku.entrySet()) {
			BigDecimal bought = boughtBySku.get(r.getKey());
			sum = sum.add(earnedBySku.get(r.getKey()).multiply(r.getValue()).divide(bought, 6, RoundingMode.DOWN));
		}
		return Math.min(earned, sum.setScale(0, RoundingMode.DOWN).longValueExact());
	}

	public static int fractionDigits(String currency) {
		try {
			return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
		}
		catch (IllegalArgumentException e) {
			throw new InvalidPoints("currency", "'" + currency + "' is not an ISO 4217 currency");
		}
	}

	static String name(String field, String value, int max) {
		if (value == null || value.isBlank() || value.strip().length() > max) {
			throw new InvalidPoints(field, field + " must be 1 to " + max + " characters");
		}
		return value.strip();
	}
}
