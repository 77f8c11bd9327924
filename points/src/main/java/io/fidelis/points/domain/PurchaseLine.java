package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** One line of a receipt: what was bought, how much of it (units, litres, kilograms) and at what unit price. */
public record PurchaseLine(String sku, String category, BigDecimal quantity, BigDecimal unitPrice) {

	public PurchaseLine {
		sku = Purchase.name("sku", sku, 64);
		category = Purchase.name("category", category, 64).toLowerCase(java.util.Locale.ROOT);
		if (quantity == null || quantity.signum() <= 0 || quantity.scale() > 3
				|| quantity.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
			throw new InvalidPoints("quantity", "A line's quantity is more than 0, at most 1000000, with at most 3 decimals");
		}
		if (unitPrice == null || unitPrice.signum() < 0 || unitPrice.scale() > 4
				|| unitPrice.compareTo(BigDecimal.valueOf(100_000_000)) > 0) {
			throw new InvalidPoints("unitPrice", "A line's unitPrice is 0 or more, at most 100000000, with at most 4 decimals");
		}
		quantity = quantity.stripTrailingZeros();
	}

	/** What the line costs, to the currency's minor unit. */
	public BigDecimal amount(int fractionDigits) {
		return quantity.multiply(unitPrice).setScale(fractionDigits, RoundingMode.HALF_UP);
	}
}
