package io.fidelis.points.domain;

import java.math.BigDecimal;

/**
 * How a category earns instead of the program's rate: per unit of money (2 points per euro on
 * electronics) or per unit bought (3 points per litre of fuel, whatever its price).
 */
public record CategoryRate(String category, Basis basis, BigDecimal points) {

	public enum Basis {
		/** Points per unit of the purchase's currency spent on the line. */
		MONEY,
		/** Points per unit of quantity (litre, kilogram, item). */
		QUANTITY
	}

	public CategoryRate {
		category = Purchase.name("category", category, 64).toLowerCase(java.util.Locale.ROOT);
		if (basis == null) {
			throw new InvalidPoints("basis", "A category rate is per MONEY or per QUANTITY");
		}
		if (points == null || points.signum() < 0 || points.compareTo(BigDecimal.valueOf(10_000)) > 0 || points.scale() > 4) {
			throw new InvalidPoints("points", "A category rate is 0 to 10000 points, with at most 4 decimals");
		}
	}
}
