package io.fidelis.points.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the ledger. The sums of {@code availableDelta} and {@code pendingDelta} over an
 * account's entries are its available and pending balances.
 *
 * @param sequence    the account's version once this entry applied (1, 2, 3, ...)
 * @param request     the caller's idempotency scope and key, or null for work the clock drove
 * @param transaction the purchase, order or operation reference the entry belongs to
 * @param counterpart the other member of a transfer
 * @param spend       the money a purchase cost, on earnings converted from money
 */
public record Entry(long sequence, EntryType type, long availableDelta, long pendingDelta, Instant at,
		String transaction, Source source, String reason, String request, String counterpart, long availableAfter,
		long pendingAfter, Spend spend) {

	public Entry {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(at, "at");
	}

	/** An entry that records no money spent. */
	public Entry(long sequence, EntryType type, long availableDelta, long pendingDelta, Instant at, String transaction,
			Source source, String reason, String request, String counterpart, long availableAfter, long pendingAfter) {
		this(sequence, type, availableDelta, pendingDelta, at, transaction, source, reason, request, counterpart,
				availableAfter, pendingAfter, null);
	}

	/** The entry without the free text a person could be named in: its reason and its source's reference (erasure). */
	public Entry withoutFreeText() {
		return new Entry(sequence, type, availableDelta, pendingDelta, at, transaction,
				source == null ? null : source.withoutReference(), null, request, counterpart, availableAfter, pendingAfter,
				spend);
	}

	public long delta() {
		return availableDelta + pendingDelta;
	}
}
