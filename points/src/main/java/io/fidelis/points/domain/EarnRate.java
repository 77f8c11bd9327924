package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Points per unit of one currency (e.g. 1.5 points per euro), and how fractions round. */
public record EarnRate(BigDecimal pointsPerUnit, RoundingMode rounding) {

	public EarnRate {
		if (pointsPerUnit == null || pointsPerUnit.signum() <= 0 || pointsPerUnit.compareTo(BigDecimal.valueOf(10_000)) > 0) {
			throw new InvalidPoints("earnRates", "An earn rate is more than 0 and at most 10000 points per unit");
		}
		if (rounding == null || rounding == RoundingMode.UNNECESSARY) {
			throw new InvalidPoints("earnRates", "Choose DOWN, UP, HALF_UP, HALF_DOWN, HALF_EVEN, FLOOR or CEILING rounding");
		}
	}

	/** Points for a money amount; never negative, and refused above the per-operation maximum. */
	public long pointsFor(BigDecimal money) {
		BigDecimal points = money.multiply(pointsPerUnit).setScale(0, rounding);
		if (points.compareTo(BigDecimal.valueOf(Points.MAX_PER_OPERATION)) > 0) {
			throw new InvalidPoints("amount", "That amount earns more than " + Points.MAX_PER_OPERATION + " points");
		}
		return points.longValueExact();
	}
}
