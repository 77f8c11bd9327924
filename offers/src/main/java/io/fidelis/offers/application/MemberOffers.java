package io.fidelis.offers.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.OfferRedeemed;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.InvalidOffer;
import io.fidelis.offers.domain.Offer;
import io.fidelis.points.PointsSpending;

/**
 * The member's side: their offers, activating one, buying a reward with points; and the till's:
 * checking and using a coupon code, which works once.
 */
@Service
public class MemberOffers {

	private final OfferStore store;
	private final MemberDirectory members;
	private final PointsSpending points;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	MemberOffers(OfferStore store, MemberDirectory members, PointsSpending points, ApplicationEventPublisher events,
			Clock clock) {
		this.store = store;
		this.members = members;
		this.points = points;
		this.events = events;
		this.clock = clock;
	}

	public List<Assignment> offersOf(Caller caller, MemberId member) {
		mayAct(caller, member);
		return store.assignmentsOf(member.value());
	}

	/**
	 * The offers of each of these members, for live subscriptions whose caller was checked when they
	 * subscribed ({@link #offersOf}).
	 */
	public Map<String, List<Assignment>> offersOfFollowed(java.util.Collection<String> memberIds) {
		Map<String, List<Assignment>> offers = new java.util.HashMap<>();
		memberIds.forEach(m -> offers.put(m, store.assignmentsOf(m)));
		return offers;
	}

	/** One of a member's offers: for the member themselves, or staff of their program. */
	public Assignment assignment(Caller caller, String assignmentId) {
		Assignment a = found(assignmentId);
		mayAct(caller, new MemberId(a.memberId()));
		return a;
	}

	public Offer offer(String offerId) {
		return store.offer(offerId).orElseThrow();
	}

	/** The member opts in (a multiplier applies to their purchases only once activated). */
	@org.springframework.transaction.annotation.Transactional
	public Assignment activate(Caller caller, String assignmentId) {
		Assignment a = own(caller, assignmentId);
		if (a.status() != Assignment.Status.ASSIGNED) {
			return a; // activating twice changes nothing
		}
		expiredGuard(a);
		Assignment activated = a.activated(clock.instant());
		if (!store.updateAssignment(activated)) {
			return store.assignment(assignmentId).orElseThrow();
		}
		store.count(a.offerId() + "|activated", 1, 0);
		return activated.withRevision(a.revision() + 1);
	}

	/** Buys a reward with the member's points, once: asking again answers the reward already bought. */
	// a refusal keeps its revision bump (so that a retry is judged anew), even inside a transaction
	@org.springframework.transaction.annotation.Transactional(noRollbackFor = Refusal.Refused.class)
	public Assignment redeemReward(Caller caller, String assignmentId) {
		Assignment a = own(caller, assignmentId);
		Offer offer = offer(a.offerId());
		if (offer.kind() != Offer.Kind.REWARD) {
			throw new InvalidOffer("assignmentId", "Only a reward is bought with points; this offer is a " + offer.kind());
		}
		if (a.status() == Assignment.Status.REDEEMED) {
			return a;
		}
		expiredGuard(a);
		// keyed by the assignment's revision: a concurrent or crashed copy of this request spends under the
		// same key (the ledger pays once); after a refusal the revision moves on, so a retry is judged anew
		PointsSpending.Spent spent = points.spend(new MemberId(a.memberId()), offer.rewardCost(), "reward: " + offer.name(),
				"offer-reward:" + a.id() + ":" + a.revision());
		if (spent instanceof PointsSpending.Spent.Refused refused) {
			store.updateAssignment(a);
			throw new Refusal.Refused("INSUFFICIENT_POINTS".equals(refused.code()) ? Refusal.Reason.INSUFFICIENT_POINTS
					: Refusal.Reason.CONFLICT, refused.message());
		}
		return redeemed(a, offer, offer.rewardCost());
	}

	public record CouponCheck(String code, String status, Assignment assignment, Offer offer) {
	}

	/** What a cashier sees before using a code: whose it is, what it gives, whether it still works. */
	public CouponCheck checkCoupon(Caller caller, String code) {
		Assignment a = coupon(caller, code);
		Offer offer = offer(a.offerId());
		String status = a.status() == Assignment.Status.REDEEMED ? "USED" : a.expiredAt(clock.instant()) ? "EXPIRED" : "VALID";
		return new CouponCheck(code, status, a, offer);
	}

	/** Uses a coupon code, once. Used or expired codes are refused with CONFLICT, changing nothing. */
	@org.springframework.transaction.annotation.Transactional
	public CouponCheck redeemCoupon(Caller caller, String code) {
		Assignment a = coupon(caller, code);
		Offer offer = offer(a.offerId());
		if (a.status() == Assignment.Status.REDEEMED) {
			throw new Refusal.Refused(Refusal.Reason.CONFLICT, "The coupon " + code + " was used on " + a.redeemedAt());
		}
		expiredGuard(a);
		Assignment used = redeemed(a, offer, 0);
		return new CouponCheck(code, "USED", used, offer);
	}

	private Assignment redeemed(Assignment a, Offer offer, long pointsSpent) {
		Instant now = clock.instant();
		Assignment after = a.redeemed(now);
		if (!store.updateAssignment(after)) {
			Assignment current = store.assignment(a.id()).orElseThrow();
			if (current.status() == Assignment.Status.REDEEMED && offer.kind() == Offer.Kind.REWARD) {
				return current; // a concurrent copy of this request bought it
			}
			throw new Refusal.Refused(Refusal.Reason.CONFLICT, "This offer was used meanwhile");
		}
		store.count(offer.id() + "|redeemed", 1, 0);
		if (pointsSpent > 0) {
			store.count(offer.id() + "|spent", pointsSpent, 0);
		}
		events.publishEvent(new OfferRedeemed(a.id(), offer.id(), new MemberId(a.memberId()), new ProgramId(a.programId()),
				offer.kind().name(), pointsSpent, now));
		return after.withRevision(a.revision() + 1);
	}

	private void expiredGuard(Assignment a) {
		if (a.expiredAt(clock.instant())) {
			throw new Refusal.Refused(Refusal.Reason.CONFLICT, "This offer expired on " + a.expiresAt());
		}
	}

	private Assignment coupon(Caller caller, String code) {
		if (!(caller instanceof Caller.IntegrationClient client) || !client.scopes().contains("points:write")) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, "Coupons are checked and used by tills (points:write)");
		}
		String normalized = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
		// a till beyond the coupon's program finds no such coupon: a code tells nothing of other programs
		return store.couponAssignment(normalized).flatMap(store::assignment)
				.filter(a -> client.mayReach(new ProgramId(a.programId())))
				.orElseThrow(() -> new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no coupon '" + code + "'"));
	}

	private Assignment found(String assignmentId) {
		return store.assignment(assignmentId == null ? "" : assignmentId)
				.orElseThrow(() -> new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no offer assignment '" + assignmentId + "'"));
	}

	private Assignment own(Caller caller, String assignmentId) {
		Assignment a = found(assignmentId);
		if (!(caller instanceof Caller.Member self) || !members.isSelf(self, new MemberId(a.memberId()))) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, "Members act on their own offers only");
		}
		return a;
	}

	private void mayAct(Caller caller, MemberId member) {
		if (caller instanceof Caller.Member self && members.isSelf(self, member)) {
			return;
		}
		if (caller instanceof Caller.Staff staff) {
			var program = members.programOf(member);
			if (program.isEmpty()) {
				throw new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no member '" + member + "'");
			}
			if (!staff.mayReach(program.get())) {
				throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, Caller.outOfReach(program.get()));
			}
			return;
		}
		throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, "Members see their own offers only");
	}
}
