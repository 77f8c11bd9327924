package io.fidelis.points.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberIdentifier;
import io.fidelis.members.ProgramId;
import io.fidelis.points.Partners;
import io.fidelis.points.PurchaseMultipliers;
import io.fidelis.points.PurchaseRecorded;
import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.Purchase;
import io.fidelis.points.domain.PurchaseLine;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Source;
import io.fidelis.points.domain.Store;

/**
 * Purchases and returns from tills and web shops. A purchase's points come from its lines (the
 * program's or the partner's rate, category rates, per-unit rates, offer multipliers) and land in
 * the ledger as one earning; a return takes back its share. Both are idempotent on the client and
 * the order (or return) id, through the ledger's own idempotency. Their movements go through the
 * {@link MovementDesk}, so purchases arriving together credit their accounts in one batch of writes.
 */
@Service
public class RecordingPurchases implements Partners, io.fidelis.points.ProgramStores {

	private final PurchaseBook book;
	private final SettingRules rules;
	private final MovementDesk desk;
	private final MemberDirectory members;
	private final ObjectProvider<PurchaseMultipliers> offers;
	private final ApplicationEventPublisher events;
	private final AccountStore accounts;
	private final Clock clock;

	RecordingPurchases(PurchaseBook book, SettingRules rules, MovementDesk desk, MemberDirectory members,
			ObjectProvider<PurchaseMultipliers> offers, ApplicationEventPublisher events, AccountStore accounts,
			Clock clock) {
		this.accounts = accounts;
		this.book = book;
		this.rules = rules;
		this.desk = desk;
		this.members = members;
		this.offers = offers;
		this.events = events;
		this.clock = clock;
	}

	public sealed interface Outcome {
		/** @param lines the exact points each line earned, before the total was rounded */
		record Recorded(String memberId, String orderId, long points, long available, long pending,
				List<Purchase.LinePoints> lines, boolean replayed) implements Outcome {
		}

		record Returned(String memberId, String orderId, String returnId, long points, long available, long pending,
				boolean replayed) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	/**
	 * A retry this soon after its order was first recorded announces it again: its first attempt
	 * may have ended (a crash, a lost store) after the points moved and before the announcement was
	 * stored, and nothing else would ever announce it. The event is the same (the ledger entry's
	 * time), so listeners count it once: offers by the order, webhooks by the event's digest. A
	 * re-run import of older orders announces nothing again.
	 */
	static final java.time.Duration ANNOUNCED_AGAIN_WITHIN = java.time.Duration.ofMinutes(15);

	@Transactional
	public Outcome recordPurchase(Caller caller, ProgramId program, MemberIdentifier who, Purchase purchase) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, program);
		if (outOfReach.isPresent()) {
			return new Outcome.Refused(outOfReach.get());
		}
		Optional<PointRules> programRules = rules.rules(program.value());
		if (programRules.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "There is no program '" + program + "'");
		}
		MemberId member;
		boolean foundActive = false;
		MemberIdentifier.Identified identified = members.identify(program, who);
		if (identified instanceof MemberIdentifier.Identified.Found found) {
			member = found.memberId();
			foundActive = found.active();
		}
		else if (identified instanceof MemberIdentifier.Identified.Invalid invalid) {
			throw new InvalidPoints(invalid.field(), invalid.message());
		}
		else if (identified instanceof MemberIdentifier.Identified.Blocked blocked) {
			return refused(Refusal.Reason.CONFLICT, blocked.message());
		}
		else {
			return refused(Refusal.Reason.NOT_FOUND, ((MemberIdentifier.Identified.Unknown) identified).message());
		}
		if (purchase.store() != null && book.store(program.value(), purchase.store()).isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "Program '" + program + "' has no store '" + purchase.store()
					+ "'; staff add stores with defineStore");
		}
		Partner partner = null;
		if (purchase.partner() != null) {
			partner = book.partner(program.value(), purchase.partner()).orElse(null);
			if (partner == null) {
				return refused(Refusal.Reason.NOT_FOUND, "Program '" + program + "' has no partner '" + purchase.partner() + "'");
			}
		}
		Optional<EarnRate> rate = partner != null ? Optional.ofNullable(partner.earnRates().get(purchase.currency()))
				: programRules.get().rateFor(purchase.currency());
		if (rate.isEmpty()) {
			return refused(Refusal.Reason.VALIDATION, (partner != null ? "Partner '" + partner.partnerId() + "'"
					: "Program '" + program + "'") + " does not take " + purchase.currency() + "; it earns in "
					+ String.join(", ", partner != null ? partner.earnRates().keySet() : programRules.get().earnRates().keySet()));
		}
		// what the client sent names the purchase; the points it earned are fixed when it is first recorded,
		// so a retry answers the same even if an offer was activated or ended in between. A new order is
		// the common case: it is inserted at once, and a retry (or a concurrent copy) is told by the
		// insert's refusal, then read
		String fingerprint = io.fidelis.points.domain.Fingerprint.of(member.value() + "|" + purchase);
		Purchase.Earning earning = purchase.earning(rate.get(), book.categoryRates(program.value()),
				multipliers(member, program, purchase));
		PurchaseBook.Recorded recorded = new PurchaseBook.Recorded(caller.key(), purchase.orderId(), program.value(),
				member.value(), fingerprint, earning.points(), lines(purchase, earning), Map.of(), 0, 0, source(purchase));
		boolean existed = !book.addPurchase(recorded);
		if (existed) {
			Optional<PurchaseBook.Recorded> earlier = book.purchase(caller.key(), purchase.orderId());
			if (!earlier.orElseThrow().fingerprint().equals(fingerprint)) {
				return refused(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, "Order '" + purchase.orderId()
						+ "' was already recorded with other contents; an order id names one purchase");
			}
			recorded = earlier.get();
		}
		long points = recorded.points();
		long available;
		long pending;
		boolean replayed;
		Instant announcedAt = clock.instant();
		boolean announce;
		long accountVersion = 0;
		if (points > 0) {
			MovingPoints.Moved moved = desk.move(caller, new MovingPoints.Movement.Earn(member.value(), points, null,
					purchase.currency(), source(purchase), purchase.orderId(), key("purchase", purchase.orderId()),
					purchase.total()), false, foundActive); // an inactive member is refused there, as any movement
			if (moved instanceof MovingPoints.Moved.Refused refusal) {
				return new Outcome.Refused(refusal.refusal());
			}
			Entry entry = ((MovingPoints.Moved.Done) moved).entry();
			available = entry.availableAfter();
			pending = entry.pendingAfter();
			accountVersion = entry.sequence();
			replayed = ((MovingPoints.Moved.Done) moved).replayed();
			// the event is the entry's, so announcing it again makes the very same event
			announcedAt = entry.at();
			announce = !replayed || entry.at().isAfter(clock.instant().minus(ANNOUNCED_AGAIN_WITHIN));
		}
		else {
			long[] balance = balance(member.value());
			available = balance[0];
			pending = balance[1];
			replayed = existed;
			announce = !replayed;
		}
		if (announce) {
			events.publishEvent(new PurchaseRecorded(member, program, purchase.orderId(), caller.key(), purchase.store(),
					purchase.partner(), purchase.channel().name(), purchase.region(), purchase.currency(), purchase.total(),
					purchase.lines().stream().map(l -> new PurchaseRecorded.Line(l.sku(), l.category(), l.quantity(),
							l.amount(Purchase.fractionDigits(purchase.currency())))).toList(), points, announcedAt, available,
					accountVersion));
		}
		List<Purchase.LinePoints> lines = recorded.lines().entrySet().stream()
				.map(l -> new Purchase.LinePoints(l.getKey(), l.getValue().earned().stripTrailingZeros())).toList();
		return new Outcome.Recorded(member.value(), purchase.orderId(), points, available, pending, lines, replayed);
	}

	/**
	 * Takes back what the returned quantities earned, under the program's return policy (the
	 * ledger applies it). {@code returning} maps skus to quantities; null returns everything left.
	 */
	@Transactional
	public Outcome recordReturn(Caller caller, String orderId, String returnId, Map<String, BigDecimal> returning) {
		if (returnId == null || !returnId.matches("[A-Za-z0-9._:/-]{1,100}")) {
			throw new InvalidPoints("returnId", "returnId is 1 to 100 letters, digits or . _ : / -");
		}
		String input = returnInput(returning);
		PurchaseBook.Recorded purchase = null;
		long points = 0;
		boolean claimed = false;
		for (int attempt = 0; attempt < 32 && purchase == null; attempt++) {
			Optional<PurchaseBook.Recorded> found = book.purchase(caller.key(), orderId == null ? "" : orderId);
			if (found.isEmpty()) {
				return refused(Refusal.Reason.NOT_FOUND, "This client recorded no order '" + orderId + "'");
			}
			PurchaseBook.Recorded current = found.get();
			Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(current.programId()));
			if (outOfReach.isPresent()) { // a client whose programs changed since it recorded the order
				return new Outcome.Refused(outOfReach.get());
			}
			if (current.returns().containsKey(returnId)) {
				String first = current.returnInputs().get(returnId);
				if (first != null && !first.equals(input)) {
					return refused(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, "The returnId '" + returnId
							+ "' was already used for a different return of order '" + orderId + "'");
				}
				purchase = current;
				points = current.returns().get(returnId); // the ledger answers as it did the first time
				break;
			}
			Map<String, BigDecimal> back = new LinkedHashMap<>();
			if (returning == null) {
				current.lines().forEach((sku, line) -> back.put(sku, line.bought().subtract(line.returned())));
			}
			else {
				for (Map.Entry<String, BigDecimal> r : returning.entrySet()) {
					PurchaseBook.Recorded.Line line = current.lines().get(r.getKey());
					if (line == null) {
						throw new InvalidPoints("lines", "Order '" + orderId + "' has no sku '" + r.getKey() + "'");
					}
					// compared before any arithmetic: 1e999999999 added to a quantity would be a billion digits
					if (r.getValue() == null || r.getValue().signum() <= 0 || r.getValue().scale() > 3
							|| r.getValue().compareTo(line.bought()) > 0) {
						throw new InvalidPoints("quantity", "A returned quantity is more than 0, at most what was bought ("
								+ line.bought().toPlainString() + "), with at most 3 decimals");
					}
					if (line.returned().add(r.getValue()).compareTo(line.bought()) > 0) {
						throw new InvalidPoints("quantity", "The return is larger than the purchase: " + r.getKey()
								+ " was bought " + line.bought().toPlainString() + " times and "
								+ line.returned().toPlainString() + " already came back");
					}
					back.put(r.getKey(), r.getValue());
				}
			}
			if (back.values().stream().allMatch(q -> q.signum() == 0)) {
				throw new InvalidPoints("lines", "Everything on order '" + orderId + "' has already been returned");
			}
			Map<String, PurchaseBook.Recorded.Line> after = new LinkedHashMap<>(current.lines());
			back.forEach((sku, q) -> after.computeIfPresent(sku,
					(k, l) -> new PurchaseBook.Recorded.Line(l.bought(), l.earned(), l.returned().add(q))));
			Map<String, BigDecimal> earned = new LinkedHashMap<>();
			Map<String, BigDecimal> bought = new LinkedHashMap<>();
			Map<String, BigDecimal> returned = new LinkedHashMap<>();
			after.forEach((sku, l) -> {
				earned.put(sku, l.earned());
				bought.put(sku, l.bought());
				returned.put(sku, l.returned());
			});
			long total = Purchase.takenBack(current.points(), earned, bought, returned);
			points = total - current.takenBack();
			Map<String, Long> returns = new LinkedHashMap<>(current.returns());
			returns.put(returnId, points);
			Map<String, String> inputs = new LinkedHashMap<>(current.returnInputs());
			inputs.put(returnId, input);
			// the return is claimed on the purchase first: a retry finds it there and only replays the ledger
			if (book.updatePurchase(new PurchaseBook.Recorded(current.client(), current.orderId(),
					current.programId(), current.memberId(), current.fingerprint(), current.points(), after, returns,
					total, current.revision(), current.source(), inputs))) {
				purchase = current;
				claimed = true;
			}
			// otherwise another return of this order came first: decide again on what it left
		}
		if (purchase == null) {
			return refused(Refusal.Reason.CONFLICT, "Order '" + orderId + "' is being returned by many requests at once; retry");
		}
		boolean replayed = !claimed; // exactly one request claims a return; every other copy of it replays
		if (points == 0) {
			long[] balance = balance(purchase.memberId());
			return new Outcome.Returned(purchase.memberId(), orderId, returnId, 0, balance[0], balance[1], replayed);
		}
		MovingPoints.Moved moved = desk.move(caller, new MovingPoints.Movement.Reverse(purchase.memberId(), orderId,
				points, "return " + returnId, key("return", orderId + "|" + returnId), purchase.source()), false);
		if (moved instanceof MovingPoints.Moved.Refused refusal) {
			return new Outcome.Refused(refusal.refusal());
		}
		Entry entry = ((MovingPoints.Moved.Done) moved).entry();
		return new Outcome.Returned(purchase.memberId(), orderId, returnId, -entry.delta(), entry.availableAfter(),
				entry.pendingAfter(), replayed);
	}

	/** What a return asks for, as it is compared when its id comes again: every sku and quantity, or everything. */
	private static String returnInput(Map<String, BigDecimal> returning) {
		if (returning == null) {
			return "everything";
		}
		// unscaled digits and exponent, never toPlainString: 1e999999999 would be a billion digits
		return new java.util.TreeMap<>(returning).entrySet().stream().map(e -> {
			BigDecimal q = e.getValue() == null ? null : e.getValue().stripTrailingZeros();
			return e.getKey() + "=" + (q == null ? "null" : q.unscaledValue() + "e" + (-q.scale()));
		}).collect(java.util.stream.Collectors.joining(","));
	}

	@Override
	public List<StorePlace> placesOf(ProgramId program) {
		return book.stores(program.value()).stream().filter(io.fidelis.points.domain.Store::located)
				.map(s -> new StorePlace(s.storeId(), s.name(), s.latitude(), s.longitude())).toList();
	}

	@Override
	public List<PartnerTerms> partnersOf(ProgramId program) {
		return book.partners(program.value()).stream().map(p -> new PartnerTerms(p.partnerId(), p.name(),
				p.issueCost(), p.redemptionValue(), p.settlementCurrency())).toList();
	}

	private Map<String, BigDecimal> multipliers(MemberId member, ProgramId program, Purchase purchase) {
		Map<String, BigDecimal> all = new LinkedHashMap<>();
		offers.orderedStream().forEach(o -> all.putAll(o.multipliersFor(member, program, purchase.store(),
				purchase.partner(), purchase.channel().name(), purchase.lines().stream().map(PurchaseLine::sku).toList(),
				purchase.lines().stream().map(PurchaseLine::category).distinct().toList())));
		all.values().forEach(m -> {
			if (m.signum() < 0 || m.compareTo(BigDecimal.valueOf(100)) > 0) {
				throw new IllegalStateException("An offer multiplier must be 0 to 100, not " + m);
			}
		});
		return all;
	}

	private static Map<String, PurchaseBook.Recorded.Line> lines(Purchase purchase, Purchase.Earning earning) {
		Map<String, PurchaseBook.Recorded.Line> lines = new LinkedHashMap<>();
		for (int i = 0; i < purchase.lines().size(); i++) {
			PurchaseLine line = purchase.lines().get(i);
			BigDecimal points = earning.lines().get(i).points();
			lines.merge(line.sku(), new PurchaseBook.Recorded.Line(line.quantity(), points, BigDecimal.ZERO),
					(a, b) -> new PurchaseBook.Recorded.Line(a.bought().add(b.bought()), a.earned().add(b.earned()),
							BigDecimal.ZERO));
		}
		return lines;
	}

	private long[] balance(String memberId) {
		return accounts.find(memberId).map(s -> new long[] { s.account().available(), s.account().pending() })
				.orElse(new long[] { 0, 0 });
	}

	private static Source source(Purchase purchase) {
		return new Source(purchase.channel(), purchase.region(), purchase.store(), purchase.partner(), null);
	}

	/** A ledger idempotency key from an order id (which may hold characters keys may not). */
	private static String key(String kind, String id) {
		return kind + ":" + io.fidelis.points.domain.Fingerprint.of(id).substring(0, 40);
	}

	private static Outcome refused(Refusal.Reason reason, String message) {
		return new Outcome.Refused(new Refusal(reason, message));
	}
}
