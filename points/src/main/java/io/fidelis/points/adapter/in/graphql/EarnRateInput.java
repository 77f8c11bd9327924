package io.fidelis.points.adapter.in.graphql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Points per unit of one currency, as the schema's {@code EarnRateInput} gives them to both the
 * program's rules and a partner's: the schema's {@code Rounding} values are {@link RoundingMode}'s
 * names, so the rounding arrives checked; the currency and the rate arrive parsed too.
 */
record EarnRateInput(Currency currency, BigDecimal pointsPerUnit, RoundingMode rounding) {

	/** DOWN when the caller sent none (the schema's default, for a {@code null} sent on purpose). */
	RoundingMode roundingOrDown() {
		return rounding == null ? RoundingMode.DOWN : rounding;
	}
}
