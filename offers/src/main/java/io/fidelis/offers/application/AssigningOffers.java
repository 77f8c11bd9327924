package io.fidelis.offers.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.OfferAssigned;
import io.fidelis.offers.OfferRedeemed;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Condition;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;
import io.fidelis.points.OfferBonusAwarded;

/**
 * Judges a program's offers for one member when something happens (a purchase, enrolment, a tier
 * change, a schedule), and assigns those whose restrictions and conditions all hold, within their
 * caps and budget. A personalized offer also needs the member's marketing consent. Bonus offers
 * are paid at once, through an event the ledger earns exactly once per award.
 */
@Service
public class AssigningOffers {

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private final OfferStore store;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	private final SecureRandom random = new SecureRandom();
	/** A program's catalog, read at most every few seconds: judging must not read it per event. */
	private final Map<String, Catalog> catalogs = new ConcurrentHashMap<>();

	record Catalog(List<Offer> offers, long readAt) {
	}

	private final AssignmentFeed feed;

	AssigningOffers(OfferStore store, ApplicationEventPublisher events, Clock clock, AssignmentFeed feed) {
		this.feed = feed;
		this.store = store;
		this.events = events;
		this.clock = clock;
	}

	/** The offers of {@code trigger} the member qualifies for now, assigned; returns the new assignments. */
	public List<Assignment> judge(MemberFacts facts, Offer.Trigger trigger, String triggerKey, String channel) {
		Instant now = clock.instant();
		List<Assignment> assigned = new ArrayList<>();
		for (Offer offer : catalog(facts.programId())) {
			if (offer.trigger() != trigger || !offer.validAt(now) || offer.personalized() && !facts.marketingConsent()) {
				continue;
			}
			List<Condition.Evaluated> judged = offer.judge(facts, channel, now);
			if (judged.stream().allMatch(Condition.Evaluated::matched)) {
				assign(offer, facts, triggerKey, judged, now).ifPresent(assigned::add);
			}
		}
		return assigned;
	}

	List<Offer> catalog(String programId) {
		long nowMillis = clock.millis();
		Catalog cached = catalogs.get(programId);
		if (cached == null || nowMillis - cached.readAt() > 2_000) {
			List<Offer> offers = new ArrayList<>(store.offers(programId));
			offers.sort(Comparator.comparingInt(Offer::priority).reversed().thenComparing(Offer::id));
			cached = new Catalog(offers, nowMillis);
			catalogs.put(programId, cached);
		}
		return cached.offers();
	}

	/** Forgets a cached catalog: a new offer is judged from the next event on (other nodes: within 2 s). */
	void catalogChanged(String programId) {
		catalogs.remove(programId);
	}

	private java.util.Optional<Assignment> assign(Offer offer, MemberFacts facts, String triggerKey,
			List<Condition.Evaluated> judged, Instant now) {
		String id = "asg_" + digest(offer.id() + "|" + facts.memberId() + "|" + triggerKey).substring(0, 24);
		String coupon = offer.kind() == Offer.Kind.COUPON ? code() : null;
		Assignment assignment = new Assignment(id, offer.id(), offer.programId(), facts.memberId(), offer.kind(),
				offer.trigger() + ":" + triggerKey, Assignment.Status.ASSIGNED, judged, coupon, now, null, null,
				offer.validUntil(), 0);
		boolean bonus = offer.kind() == Offer.Kind.BONUS;
		if (bonus) {
			assignment = assignment.redeemed(now); // a bonus is paid as it is given
		}
		if (!store.addAssignment(assignment)) {
			return java.util.Optional.empty(); // judged before for this trigger
		}
		// the per-member cap, the total cap, then a bonus's budget; a limit reached gives back what was taken
		List<Taken> taken = new ArrayList<>();
		if (!within(taken, offer.id() + "|" + facts.memberId(), 1, offer.capPerMember())
				|| !within(taken, offer.id() + "|assigned", 1, offer.totalCap())
				|| bonus && !within(taken, offer.id() + "|awarded", offer.bonusPoints(), offer.pointsBudget())) {
			taken.forEach(t -> store.count(t.counter(), -t.amount(), 0));
			store.removeAssignment(id); // as if never assigned
			return java.util.Optional.empty();
		}
		if (bonus) {
			events.publishEvent(new OfferBonusAwarded(new MemberId(facts.memberId()), new ProgramId(offer.programId()),
					offer.id(), "offer-award:" + id, offer.bonusPoints(), offer.name(), now));
			store.count(offer.id() + "|redeemed", 1, 0);
			events.publishEvent(new OfferRedeemed(id, offer.id(), new MemberId(facts.memberId()),
					new ProgramId(offer.programId()), offer.kind().name(), offer.bonusPoints(), now));
		}
		if (coupon != null) {
			store.addCoupon(coupon, id);
		}
		events.publishEvent(new OfferAssigned(id, offer.id(), new MemberId(facts.memberId()), new ProgramId(offer.programId()),
				offer.kind().name(), offer.trigger().name(), now));
		noteOnceCommitted(facts.memberId());
		return java.util.Optional.of(assignment);
	}

	/**
	 * Tells live subscribers once the assignment can be read: at once outside a transaction, after
	 * the commit inside one (a subscriber told earlier would read the member's offers without it).
	 */
	private void noteOnceCommitted(String memberId) {
		if (!org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
			feed.assigned(List.of(memberId));
			return;
		}
		org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
				new org.springframework.transaction.support.TransactionSynchronization() {
					@Override
					public void afterCommit() {
						feed.assigned(List.of(memberId));
					}
				});
	}

	private record Taken(String counter, long amount) {
	}

	private boolean within(List<Taken> taken, String counter, long amount, long limit) {
		if (!store.count(counter, amount, limit)) {
			return false;
		}
		taken.add(new Taken(counter, amount));
		return true;
	}

	/** A single-use code a cashier can type: 10 characters without look-alikes (0/O, 1/I). */
	private String code() {
		StringBuilder code = new StringBuilder();
		for (int i = 0; i < 10; i++) {
			code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return code.toString();
	}

	static String digest(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
