package io.fidelis.offers.application;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.domain.Condition;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;

/** Staff build a program's catalog, see who an offer would reach now, and how it performs. */
@Service
public class ManagingCatalog implements io.fidelis.offers.OfferFigures {

	private final OfferStore store;
	private final MemberDirectory members;
	private final AssigningOffers assigning;
	private final Clock clock;
	private final io.fidelis.points.PointsSpending points;

	ManagingCatalog(OfferStore store, MemberDirectory members, AssigningOffers assigning, Clock clock,
			io.fidelis.points.PointsSpending points) {
		this.points = points;
		this.store = store;
		this.assigning = assigning;
		this.members = members;
		this.clock = clock;
	}

	public Offer create(Caller.Staff staff, Offer draft) {
		program(staff, draft.programId());
		if (draft.kind() == Offer.Kind.REWARD) {
			// a reward its members could never buy: the ledger refuses spends below the program's minimum
			java.util.OptionalLong smallest = points.smallestSpend(new ProgramId(draft.programId()));
			if (smallest.isPresent() && draft.rewardCost() < smallest.getAsLong()) {
				throw new io.fidelis.offers.domain.InvalidOffer("rewardCost", "A reward costs at least the program's "
						+ "smallest redemption, " + smallest.getAsLong() + " points; this one costs " + draft.rewardCost());
			}
		}
		Offer offer = draft.identified("off_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
				clock.instant());
		store.addOffer(offer);
		assigning.catalogChanged(offer.programId()); // judged from the next event on, on this node at once
		return offer;
	}

	public List<Offer> catalog(Caller.Staff staff, String programId) {
		program(staff, programId);
		return store.offers(programId);
	}

	public Offer offer(Caller.Staff staff, String offerId) {
		Offer offer = store.offer(offerId == null ? "" : offerId)
				.orElseThrow(() -> new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no offer '" + offerId + "'"));
		program(staff, offer.programId());
		return offer;
	}

	public record Preview(int matching, List<String> firstMembers) {
	}

	/** Which members the offer's conditions and restrictions pick now (channel restrictions aside). */
	public Preview preview(Caller.Staff staff, String offerId) {
		Offer offer = offer(staff, offerId);
		int[] count = { 0 };
		List<String> first = new ArrayList<>();
		store.eachFacts(offer.programId(), facts -> {
			if (matches(offer, facts)) {
				count[0]++;
				if (first.size() < 50) {
					first.add(facts.memberId());
				}
			}
		});
		return new Preview(count[0], first);
	}

	private boolean matches(Offer offer, MemberFacts facts) {
		if (offer.personalized() && !facts.marketingConsent()) {
			return false;
		}
		return offer.judge(facts, null, clock.instant()).stream().filter(e -> !e.fact().equals("CHANNEL"))
				.allMatch(Condition.Evaluated::matched);
	}

	public record Performance(long assigned, long activated, long redeemed, long pointsSpent, long pointsAwarded) {
	}

	public Performance performance(Caller.Staff staff, String offerId) {
		Offer offer = offer(staff, offerId);
		return new Performance(store.counter(offer.id() + "|assigned"), store.counter(offer.id() + "|activated"),
				store.counter(offer.id() + "|redeemed"), store.counter(offer.id() + "|spent"),
				store.counter(offer.id() + "|awarded"));
	}

	@Override
	public List<Figures> figuresOf(ProgramId program) {
		return store.offers(program.value()).stream().map(o -> new Figures(o.id(), o.name(), o.kind().name(),
				store.counter(o.id() + "|assigned"), store.counter(o.id() + "|activated"), store.counter(o.id() + "|redeemed"),
				store.counter(o.id() + "|spent"), store.counter(o.id() + "|awarded"))).toList();
	}

	private void program(Caller.Staff staff, String programId) {
		ProgramId program = new ProgramId(programId);
		if (!staff.mayReach(program)) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, Caller.outOfReach(program));
		}
		if (members.timeZoneOf(program).isEmpty()) {
			throw new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no program '" + program + "'");
		}
	}
}
