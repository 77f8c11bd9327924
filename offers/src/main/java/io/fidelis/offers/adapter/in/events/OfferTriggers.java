package io.fidelis.offers.adapter.in.events;

import java.util.HashSet;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.offers.application.AssigningOffers;
import io.fidelis.offers.application.KeepingFacts;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsTransferred;
import io.fidelis.points.PurchaseRecorded;

/** Facts follow what members do; purchases, enrolments and tier changes also trigger offers. */
@Component
class OfferTriggers {

	private final KeepingFacts facts;
	private final AssigningOffers assigning;

	OfferTriggers(KeepingFacts facts, AssigningOffers assigning) {
		this.facts = facts;
		this.assigning = assigning;
	}

	@ApplicationModuleListener
	void on(PurchaseRecorded e) {
		MemberFacts after = facts.purchased(e.memberId(), e.programId().value(), e.at(), e.total(),
				new HashSet<>(e.lines().stream().map(PurchaseRecorded.Line::category).toList()), e.store(), e.region());
		assigning.judge(after, Offer.Trigger.PURCHASE, "purchase:" + e.client() + ":" + e.orderId(), e.channel());
	}

	@ApplicationModuleListener
	void on(MemberEnrolled e) {
		MemberFacts after = facts.enrolled(e.memberId(), e.programId().value(), e.enrolledAt());
		assigning.judge(after, Offer.Trigger.ENROLMENT, "enrolled", e.channel().name());
	}

	@ApplicationModuleListener
	void on(TierChanged e) {
		MemberFacts after = facts.change(e.memberId(), e.programId().value(), f -> f.withTier(e.tier()));
		if (e.tier() != null) {
			assigning.judge(after, Offer.Trigger.TIER_CHANGE, "tier:" + e.tier() + ":" + e.at(), null);
		}
	}

	@ApplicationModuleListener
	void on(MemberProfileChanged e) {
		facts.change(e.memberId(), e.programId().value(), f -> f.withConsent(e.marketingOptIn()));
	}

	/** Behaviour is personal data: an erased member's facts start over, empty. */
	@ApplicationModuleListener
	void on(MemberErased e) {
		facts.change(e.memberId(), e.programId().value(), f -> MemberFacts.of(f.memberId(), f.programId()).stored(f.revision()));
	}

	@ApplicationModuleListener
	void on(PointsEarned e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	@ApplicationModuleListener
	void on(PointsRedeemed e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	@ApplicationModuleListener
	void on(PointsReversed e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	@ApplicationModuleListener
	void on(PointsExpired e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	@ApplicationModuleListener
	void on(PointsAdjusted e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	@ApplicationModuleListener
	void on(PointsTransferred e) {
		balance(e.memberId(), e.programId().value(), e.available(), e.version());
	}

	private void balance(MemberId member, String program, long available, long version) {
		facts.change(member, program, f -> f.withBalance(available, version));
	}
}
