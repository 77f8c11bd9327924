package io.fidelis.points.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reward of a program's catalog that members buy with points: a coffee, a voucher, a seat
 * upgrade. It may also ask for money at the till ({@code cashAmount} in {@code cashCurrency}:
 * points plus money), which Fidelis shows and does not collect.
 *
 * @param stock          units to hand out in all; null: as many as are asked for
 * @param perMemberLimit the most one member may hold at once (refunded ones do not count); null: no limit
 * @param validFrom      null: from its definition
 * @param validUntil     exclusive; null: until staff end it
 * @param active         false: kept in the catalog for staff, not redeemable
 * @param lowStockAt     the units left at which staff hear that stock runs low (once per crossing); null: never
 */
public record Reward(String programId, String rewardId, String name, String description, long points,
		BigDecimal cashAmount, String cashCurrency, Long stock, Integer perMemberLimit, Instant validFrom,
		Instant validUntil, Fulfilment fulfilment, boolean active, Long lowStockAt) {

	/** A reward nobody is told about when its stock runs low. */
	public Reward(String programId, String rewardId, String name, String description, long points,
			BigDecimal cashAmount, String cashCurrency, Long stock, Integer perMemberLimit, Instant validFrom,
			Instant validUntil, Fulfilment fulfilment, boolean active) {
		this(programId, rewardId, name, description, points, cashAmount, cashCurrency, stock, perMemberLimit, validFrom,
				validUntil, fulfilment, active, null);
	}

	/** Units of one reward at most. */
	public static final long MAX_STOCK = 1_000_000_000L;
	public static final int MAX_PER_MEMBER = 1_000;

	/** What the member receives besides the ledger entry. */
	public enum Fulfilment {
		/** Nothing to show: the till or the shop hands the reward over. */
		NONE,
		/** A unique code made by Fidelis (16 letters and digits), shown to the member and checked by the till. */
		GENERATED_CODE,
		/** A code from the pool staff import (a partner's vouchers, gift cards): one per redemption; the pool is the stock. */
		POOL
	}

	public Reward {
		if (rewardId == null || !rewardId.matches("[A-Za-z0-9._-]{1,64}")) {
			throw new InvalidPoints("rewardId", "rewardId is 1 to 64 letters, digits or . _ -");
		}
		if (name == null || name.isBlank()) {
			throw new InvalidPoints("name", "A reward needs a name");
		}
		FreeText.check("name", name, 100);
		FreeText.check("description", description, 1_000);
		Points.requirePositive("points", points);
		if ((cashAmount == null) != (cashCurrency == null)) {
			throw new InvalidPoints("cashAmount", "cashAmount and cashCurrency come together, or neither");
		}
		if (cashAmount != null && (cashAmount.signum() <= 0 || cashAmount.scale() > 4
				|| cashAmount.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0)) {
			throw new InvalidPoints("cashAmount", "cashAmount is more than 0, at most 1000000000, with at most 4 decimals");
		}
		if (cashCurrency != null && !cashCurrency.matches("[A-Z]{3}")) {
			throw new InvalidPoints("cashCurrency", "cashCurrency is an ISO 4217 code such as EUR");
		}
		if (stock != null && (stock < 0 || stock > MAX_STOCK)) {
			throw new InvalidPoints("stock", "stock is 0 to " + MAX_STOCK + " units, or none for no limit");
		}
		if (perMemberLimit != null && (perMemberLimit < 1 || perMemberLimit > MAX_PER_MEMBER)) {
			throw new InvalidPoints("perMemberLimit", "perMemberLimit is 1 to " + MAX_PER_MEMBER + ", or none for no limit");
		}
		if (validFrom != null && validUntil != null && !validFrom.isBefore(validUntil)) {
			throw new InvalidPoints("validUntil", "validUntil comes after validFrom");
		}
		if (fulfilment == null) {
			throw new InvalidPoints("fulfilment", "fulfilment is NONE, GENERATED_CODE or POOL");
		}
		if (fulfilment == Fulfilment.POOL && stock != null) {
			throw new InvalidPoints("stock", "A pool reward's stock is its codes: leave stock out and import them");
		}
		if (lowStockAt != null && (stock == null && fulfilment != Fulfilment.POOL || lowStockAt < 0
				|| stock != null && lowStockAt >= stock)) {
			throw new InvalidPoints("lowStockAt", "lowStockAt is 0 or more and below the stock, for a reward with a stock");
		}
	}

	/** Whether its units are counted: a stock was given, or its codes come from a pool. */
	public boolean counted() {
		return stock != null || fulfilment == Fulfilment.POOL;
	}

	/** Why a member cannot redeem it at {@code now}; null when they can, as far as the reward goes. */
	public String unavailableAt(Instant now) {
		if (!active) {
			return "Reward '" + rewardId + "' is not offered at the moment";
		}
		if (validFrom != null && now.isBefore(validFrom)) {
			return "Reward '" + rewardId + "' can be redeemed from " + validFrom;
		}
		if (validUntil != null && !now.isBefore(validUntil)) {
			return "Reward '" + rewardId + "' could be redeemed until " + validUntil;
		}
		return null;
	}
}
