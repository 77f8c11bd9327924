package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** The money a purchase cost, as the till reported it; it counts towards tiers that qualify on spend. */
public record Spend(BigDecimal amount, String currency) {

	public Spend {
		Objects.requireNonNull(amount, "amount");
		Objects.requireNonNull(currency, "currency");
	}
}
