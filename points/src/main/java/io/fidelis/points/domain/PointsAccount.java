package io.fidelis.points.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A member's points: a ledger of lots. Every change returns a new account and the ledger entries
 * that explain it, so that the balances always equal the sum of the entries and the lots'
 * remaining amounts.
 *
 * <ul>
 * <li>{@code available} = remaining of spendable lots − {@code debt};</li>
 * <li>{@code pending} = remaining of pending lots;</li>
 * <li>{@code debt} is only ever non-zero under {@link ReturnPolicy#ALLOW_NEGATIVE} (or a staff
 * adjustment there): new credits pay it first.</li>
 * </ul>
 * Before any change the account catches up with the clock: due pending lots activate and
 * expired lots expire, each as entries of their own.
 */
public record PointsAccount(String memberId, String programId, long version, List<Lot> lots, long debt,
		long lifetimeEarned, long lifetimeRedeemed, Instant openedAt) {

	/** Spent, expired or reversed lots stay this long, so that a late refund still finds its purchase. */
	static final Duration KEEP_EMPTY_LOTS = Duration.ofDays(400);

	static final Comparator<Lot> SOONEST_EXPIRY_FIRST = Comparator
			.comparing(Lot::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
			.thenComparing(Lot::availableAt).thenComparingLong(Lot::id);

	public PointsAccount {
		Objects.requireNonNull(memberId, "memberId");
		Objects.requireNonNull(programId, "programId");
		Objects.requireNonNull(openedAt, "openedAt");
		lots = List.copyOf(lots);
		if (version < 0 || debt < 0 || lifetimeEarned < 0 || lifetimeRedeemed < 0) {
			throw new IllegalStateException("Account counters are never negative");
		}
	}

	public static PointsAccount open(String memberId, String programId, Instant at) {
		return new PointsAccount(memberId, programId, 0, List.of(), 0, 0, 0, at);
	}

	public long available() {
		long spendable = 0;
		for (Lot lot : lots) {
			if (!lot.pending()) {
				spendable = Points.add(spendable, lot.remaining());
			}
		}
		return Points.subtract(spendable, debt);
	}

	public long pending() {
		long pending = 0;
		for (Lot lot : lots) {
			if (lot.pending()) {
				pending = Points.add(pending, lot.remaining());
			}
		}
		return pending;
	}

	/** A change: the account after it and the entries that explain it, oldest first. */
	public record Change(PointsAccount account, List<Entry> entries) {
		public Entry last() {
			return entries.get(entries.size() - 1);
		}
	}

	/** The outcome of a request: applied, or refused with nothing changed. */
	public sealed interface Outcome {
		record Applied(Change change) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	/**
	 * What a request carries into the ledger besides its amount.
	 *
	 * @param recordedBy the caller making the change (its {@code key()}), kept on the lots it credits
	 */
	public record Context(Instant at, Source source, String transaction, String reason, String request, Spend spend,
			String recordedBy) {
		public Context {
			Objects.requireNonNull(at, "at");
		}

		public Context(Instant at, Source source, String transaction, String reason, String request, Spend spend) {
			this(at, source, transaction, reason, request, spend, null);
		}

		public Context(Instant at, Source source, String transaction, String reason, String request) {
			this(at, source, transaction, reason, request, null, null);
		}
	}

	// ---- clock-driven work ----------------------------------------------------------------

	/** Activates due pending lots and expires lots past their date. Running it twice changes nothing. */
	public Change catchUp(Instant now) {
		Builder b = new Builder(this);
		b.catchUp(now);
		return b.change();
	}

	// ---- requests -------------------------------------------------------------------------

	public Outcome earn(long points, PointRules rules, Context context) {
		Points.requirePositive("points", points);
		if (context.source() != null && !rules.runsOn(context.source().channel())) {
			return refused(Refusal.Reason.VALIDATION, "This program does not run on channel " + context.source().channel());
		}
		Builder b = new Builder(this);
		b.catchUp(context.at());
		b.credit(EntryType.EARNED, points, rules, context, null);
		b.lifetimeEarned = Points.add(b.lifetimeEarned, points);
		return new Outcome.Applied(b.change());
	}

	public Outcome redeem(long points, PointRules rules, Context context) {
		Points.requirePositive("points", points);
		if (points < rules.minimumRedemption()) {
			return refused(Refusal.Reason.VALIDATION,
					"The smallest redemption in this program is " + rules.minimumRedemption() + " points");
		}
		if (context.source() != null && !rules.runsOn(context.source().channel())) {
			return refused(Refusal.Reason.VALIDATION, "This program does not run on channel " + context.source().channel());
		}
		Builder b = new Builder(this);
		b.catchUp(context.at());
		if (b.available() < points) {
			return refused(Refusal.Reason.INSUFFICIENT_POINTS,
					"Only " + Math.max(0, b.available()) + " points are available; " + points + " were asked");
		}
		b.debit(EntryType.REDEEMED, points, context, null);
		b.lifetimeRedeemed = Points.add(b.lifetimeRedeemed, points);
		return new Outcome.Applied(b.change());
	}

	/** A referral's bonus: a spendable lot at once, since no purchase can be returned. */
	public Outcome referralBonus(long points, PointRules rules, Context context) {
		Points.requirePositive("points", points);
		Builder b = new Builder(this);
		b.catchUp(context.at());
		b.credit(EntryType.REFERRAL_BONUS, points, rules.withoutPendingPeriod(), context, null);
		return new Outcome.Applied(b.change());
	}

	/** A staff correction: positive credits a spendable lot, negative takes points away. */
	public Outcome adjust(long signedPoints, PointRules rules, Context context) {
		if (signedPoints == 0) {
			throw new InvalidPoints("points", "An adjustment moves at least one point, up or down");
		}
		Points.requirePositive("points", Math.abs(signedPoints));
		Builder b = new Builder(this);
		b.catchUp(context.at());
		if (signedPoints > 0) {
			b.credit(EntryType.ADJUSTED, signedPoints, rules.withoutPendingPeriod(), context, null);
			return new Outcome.Applied(b.change());
		}
		long take = -signedPoints;
		if (b.available() < take && rules.returns() != ReturnPolicy.ALLOW_NEGATIVE) {
			return refused(Refusal.Reason.INSUFFICIENT_POINTS, "Only " + Math.max(0, b.available())
					+ " points are available and this program does not allow a negative balance");
		}
		b.debitAllowingDebt(EntryType.ADJUSTED, take, context, null);
		return new Outcome.Applied(b.change());
	}

	/**
	 * A refund takes back what its purchase earned ({@code points}, or all that is left to take
	 * back when null), as far as the program's return policy allows.
	 */
	public Outcome reverse(String transaction, Long points, PointRules rules, Context context) {
		return reverse(transaction, points, rules, context, null);
	}

	/**
	 * @param reverser the integration client asking ({@code key()}), which may take back only what
	 *                 it recorded: another client's purchase is answered as unknown; null for staff
	 */
	public Outcome reverse(String transaction, Long points, PointRules rules, Context context, String reverser) {
		Builder b = new Builder(this);
		b.catchUp(context.at());
		List<Lot> earned = b.lots.stream().filter(l -> l.isPurchaseOf(transaction, reverser)).toList();
		if (earned.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "No points were earned by transaction '" + transaction + "'");
		}
		long reversible = earned.stream().mapToLong(l -> l.amount() - l.reversed()).sum();
		if (reversible == 0) {
			return refused(Refusal.Reason.CONFLICT, "Transaction '" + transaction + "' was already reversed in full");
		}
		long claim = points == null ? reversible : Points.requirePositive("points", points);
		if (claim > reversible) {
			return refused(Refusal.Reason.VALIDATION, "Only " + reversible + " points of transaction '" + transaction
					+ "' are left to reverse");
		}
		long pendingOfPurchase = earned.stream().filter(Lot::pending).mapToLong(Lot::remaining).sum();
		if (rules.returns() == ReturnPolicy.PENDING_ONLY && pendingOfPurchase == 0) {
			return refused(Refusal.Reason.CONFLICT, "The points of transaction '" + transaction
					+ "' are no longer pending; this program only reverses pending points");
		}
		b.reverse(transaction, reverser, claim, rules.returns(), context);
		return new Outcome.Applied(b.change());
	}

	/** The paying side of a transfer. */
	public Outcome transferOut(long points, String toMember, Context context) {
		Points.requirePositive("points", points);
		if (toMember.equals(memberId)) {
			return refused(Refusal.Reason.VALIDATION, "A member cannot transfer points to themselves");
		}
		Builder b = new Builder(this);
		b.catchUp(context.at());
		if (b.available() < points) {
			return refused(Refusal.Reason.INSUFFICIENT_POINTS,
					"Only " + Math.max(0, b.available()) + " points are available; " + points + " were asked");
		}
		b.debit(EntryType.TRANSFERRED_OUT, points, context, toMember);
		return new Outcome.Applied(b.change());
	}

	/** The receiving side of a transfer: a spendable lot under the program's expiry. */
	public Change transferIn(long points, String fromMember, PointRules rules, Context context) {
		Points.requirePositive("points", points);
		Builder b = new Builder(this);
		b.catchUp(context.at());
		b.credit(EntryType.TRANSFERRED_IN, points, rules.withoutPendingPeriod(), context, fromMember);
		return b.change();
	}

	private static Outcome refused(Refusal.Reason reason, String message) {
		return new Outcome.Refused(new Refusal(reason, message));
	}

	/** Accumulates one change: lots and counters move, and every move is written down as an entry. */
	private static final class Builder {

		private final PointsAccount origin;
		private final List<Lot> lots;
		private final List<Entry> entries = new ArrayList<>();
		private long version;
		private long debt;
		private long lifetimeEarned;
		private long lifetimeRedeemed;

		Builder(PointsAccount account) {
			this.origin = account;
			this.lots = new ArrayList<>(account.lots());
			this.version = account.version();
			this.debt = account.debt();
			this.lifetimeEarned = account.lifetimeEarned();
			this.lifetimeRedeemed = account.lifetimeRedeemed();
		}

		long available() {
			return snapshot().available();
		}

		void catchUp(Instant now) {
			for (int i = 0; i < lots.size(); i++) {
				Lot lot = lots.get(i);
				if (lot.isDueAt(now)) {
					long paid = Math.min(debt, lot.remaining());
					debt -= paid;
					lots.set(i, lot.activated(lot.remaining() - paid));
					record(EntryType.ACTIVATED, lot.remaining(), -lot.remaining(), lot.availableAt(), lot.transaction(),
							lot.source(), null, null, null);
				}
			}
			for (int i = 0; i < lots.size(); i++) {
				Lot lot = lots.get(i);
				if (lot.isExpiredAt(now)) {
					lots.set(i, lot.withRemaining(0));
					record(EntryType.EXPIRED, -lot.remaining(), 0, lot.expiresAt(), lot.transaction(), lot.source(),
							null, null, null);
				}
			}
			lots.removeIf(l -> l.remaining() == 0 && !l.pending()
					&& l.earnedAt().plus(KEEP_EMPTY_LOTS).isBefore(now));
		}

		void credit(EntryType type, long points, PointRules rules, Context context, String counterpart) {
			Instant availableAt = rules.availableAt(context.at());
			boolean pending = availableAt.isAfter(context.at());
			long paid = pending ? 0 : Math.min(debt, points);
			debt -= paid;
			lots.add(new Lot(version + 1, points, points - paid, 0, pending, context.at(), availableAt,
					rules.expiresAt(context.at()), context.source(),
					context.transaction(), context.recordedBy()));
			record(type, pending ? 0 : points, pending ? points : 0, context.at(), context.transaction(),
					context.source(), context.reason(), context.request(), counterpart);
			if (context.spend() != null) {
				Entry e = entries.remove(entries.size() - 1);
				entries.add(new Entry(e.sequence(), e.type(), e.availableDelta(), e.pendingDelta(), e.at(), e.transaction(),
						e.source(), e.reason(), e.request(), e.counterpart(), e.availableAfter(), e.pendingAfter(),
						context.spend()));
			}
		}

		/** Takes points from spendable lots, soonest expiry first; the caller checked they suffice. */
		void debit(EntryType type, long points, Context context, String counterpart) {
			long left = consume(points);
			if (left != 0) {
				throw new IllegalStateException("debit beyond the available balance");
			}
			record(type, -points, 0, context.at(), context.transaction(), context.source(), context.reason(),
					context.request(), counterpart);
		}

		void debitAllowingDebt(EntryType type, long points, Context context, String counterpart) {
			long left = consume(points);
			debt = Points.add(debt, left);
			record(type, -points, 0, context.at(), context.transaction(), context.source(), context.reason(),
					context.request(), counterpart);
		}

		private long consume(long points) {
			long left = points;
			List<Lot> order = lots.stream().filter(Lot::isSpendable).sorted(SOONEST_EXPIRY_FIRST).toList();
			for (Lot lot : order) {
				if (left == 0) {
					break;
				}
				long take = Math.min(left, lot.remaining());
				lots.set(lots.indexOf(lot), lot.withRemaining(lot.remaining() - take));
				left -= take;
			}
			return left;
		}

		void reverse(String transaction, String reverser, long claim, ReturnPolicy policy, Context context) {
			// a refund that names no till of its own belongs where the purchase was made (reports by store, region)
			Source source = context.source() != null ? context.source()
					: lots.stream().filter(l -> l.isPurchaseOf(transaction, reverser)).map(Lot::source)
							.filter(Objects::nonNull).findFirst().orElse(null);
			long fromPending = 0;
			long fromAvailable = 0;
			long left = claim;
			// first what is left of the purchase's own lots: pending, then spendable
			for (boolean pendingPass : new boolean[] { true, false }) {
				for (int i = 0; i < lots.size() && left > 0; i++) {
					Lot lot = lots.get(i);
					if (lot.isPurchaseOf(transaction, reverser) && lot.pending() == pendingPass) {
						if (!pendingPass && policy == ReturnPolicy.PENDING_ONLY) {
							continue;
						}
						long take = Math.min(left, lot.remaining());
						lots.set(i, lot.withRemaining(lot.remaining() - take));
						left -= take;
						if (pendingPass) {
							fromPending += take;
						}
						else {
							fromAvailable += take;
						}
					}
				}
			}
			// the member already spent the rest: take it from other points, or as debt
			if (left > 0 && policy != ReturnPolicy.PENDING_ONLY) {
				long before = left;
				left = consume(left);
				fromAvailable += before - left;
				if (policy == ReturnPolicy.ALLOW_NEGATIVE) {
					debt = Points.add(debt, left);
					fromAvailable += left;
					left = 0;
				}
			}
			// the refund's whole claim counts against the purchase, even the part the policy forgives
			long toMark = claim;
			for (int i = 0; i < lots.size() && toMark > 0; i++) {
				Lot lot = lots.get(i);
				if (lot.isPurchaseOf(transaction, reverser)) {
					long mark = Math.min(toMark, lot.amount() - lot.reversed());
					lots.set(i, lot.reversed(mark, lot.remaining()));
					toMark -= mark;
				}
			}
			long taken = fromPending + fromAvailable;
			lifetimeEarned = Math.max(0, lifetimeEarned - taken);
			record(EntryType.REVERSED, -fromAvailable, -fromPending, context.at(), transaction, source,
					context.reason(), context.request(), null);
		}

		private void record(EntryType type, long availableDelta, long pendingDelta, Instant at, String transaction,
				Source source, String reason, String request, String counterpart) {
			version++;
			PointsAccount now = snapshot();
			entries.add(new Entry(version, type, availableDelta, pendingDelta, at, transaction, source, reason, request,
					counterpart, now.available(), now.pending()));
		}

		PointsAccount snapshot() {
			return new PointsAccount(origin.memberId(), origin.programId(), version, lots, debt, lifetimeEarned,
					lifetimeRedeemed, origin.openedAt());
		}

		Change change() {
			return new Change(snapshot(), List.copyOf(entries));
		}
	}
}
