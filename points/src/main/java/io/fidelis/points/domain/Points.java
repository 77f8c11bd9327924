package io.fidelis.points.domain;

/** Whole points, with the limits that keep every sum exact. */
public final class Points {

	/** No single operation moves more than this; anything larger is a mistake, not a purchase. */
	public static final long MAX_PER_OPERATION = 1_000_000_000_000L;

	private Points() {
	}

	public static long requirePositive(String field, long amount) {
		if (amount <= 0) {
			throw new InvalidPoints(field, field + " must be a positive whole number of points");
		}
		if (amount > MAX_PER_OPERATION) {
			throw new InvalidPoints(field, field + " must be at most " + MAX_PER_OPERATION + " points");
		}
		return amount;
	}

	static long add(long a, long b) {
		return Math.addExact(a, b);
	}

	static long subtract(long a, long b) {
		return Math.subtractExact(a, b);
	}
}
