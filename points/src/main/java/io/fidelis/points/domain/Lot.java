package io.fidelis.points.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Points credited together: what is left of them, when they become spendable and when they
 * expire. {@code reversed} counts what a refund already took back, so a second refund of the
 * same purchase cannot take more than was earned.
 *
 * @param source      where they were earned; null for staff adjustments
 * @param transaction the purchase or operation that credited them
 * @param recordedBy  the caller that credited them ({@code client:pos-paris}, {@code staff:ana},
 *                    ...): a client may take back only what it recorded itself; null for lots
 *                    credited before this was kept
 */
public record Lot(long id, long amount, long remaining, long reversed, boolean pending, Instant earnedAt,
		Instant availableAt, Instant expiresAt, Source source, String transaction, String recordedBy) {

	public Lot {
		Objects.requireNonNull(earnedAt, "earnedAt");
		Objects.requireNonNull(availableAt, "availableAt");
		if (amount <= 0 || remaining < 0 || remaining > amount || reversed < 0 || reversed > amount) {
			throw new IllegalStateException("A lot's remaining and reversed lie between 0 and its amount");
		}
	}

	/**
	 * Whether a refund of {@code transaction} asked by {@code reverser} may take these points:
	 * staff ({@code reverser} null) take back any; a client only what it recorded (or what was
	 * credited before lots kept who recorded them). Another client's receipt with the same
	 * number is another purchase.
	 */
	boolean isPurchaseOf(String transaction, String reverser) {
		return transaction.equals(this.transaction) && (reverser == null || recordedBy == null || recordedBy.equals(reverser));
	}

	/** The lot without the free text a person could be named in: its source's reference (erasure). */
	public Lot withoutFreeText() {
		return source == null ? this : new Lot(id, amount, remaining, reversed, pending, earnedAt, availableAt, expiresAt,
				source.withoutReference(), transaction, recordedBy);
	}

	boolean isDueAt(Instant now) {
		return pending && !availableAt.isAfter(now);
	}

	boolean isExpiredAt(Instant now) {
		return !pending && remaining > 0 && expiresAt != null && !expiresAt.isAfter(now);
	}

	boolean isSpendable() {
		return !pending && remaining > 0;
	}

	Lot withRemaining(long newRemaining) {
		return new Lot(id, amount, newRemaining, reversed, pending, earnedAt, availableAt, expiresAt, source, transaction,
				recordedBy);
	}

	Lot activated(long newRemaining) {
		return new Lot(id, amount, newRemaining, reversed, false, earnedAt, availableAt, expiresAt, source, transaction,
				recordedBy);
	}

	Lot reversed(long claimed, long newRemaining) {
		return new Lot(id, amount, newRemaining, reversed + claimed, pending, earnedAt, availableAt, expiresAt, source,
				transaction, recordedBy);
	}
}
