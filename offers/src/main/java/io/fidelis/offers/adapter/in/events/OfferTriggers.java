package io.fidelis.offers.adapter.in.events;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.offers.application.AssigningOffers;
import io.fidelis.offers.application.KeepingFacts;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;
import io.fidelis.points.PointsMovement;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.PurchaseRecorded;

/** Facts follow what members do; purchases, enrollments and tier changes also trigger offers. */
@Component
class OfferTriggers {

	private final KeepingFacts facts;
	private final AssigningOffers assigning;

	private final io.fidelis.offers.application.KeepingChallenges challenges;

	OfferTriggers(KeepingFacts facts, AssigningOffers assigning, io.fidelis.offers.application.KeepingChallenges challenges) {
		this.facts = facts;
		this.assigning = assigning;
		this.challenges = challenges;
	}

	@ApplicationModuleListener
	void on(PurchaseRecorded e) {
		MemberFacts after = facts.purchased(e.memberId(), e.programId().value(), e.client() + ":" + e.orderId(), e.at(), e.total(),
				new HashSet<>(e.lines().stream().map(PurchaseRecorded.Line::category).toList()), e.store(), e.region(),
				e.available(), e.accountVersion());
		assigning.judge(after, Offer.Trigger.PURCHASE, "purchase:" + e.client() + ":" + e.orderId(), e.channel());
		challenges.purchased(e);
	}

	@ApplicationModuleListener
	void on(MemberEnrolled e) {
		MemberFacts after = facts.enrolled(e.memberId(), e.programId().value(), e.enrolledAt());
		assigning.judge(after, Offer.Trigger.ENROLLMENT, "enrolled", e.channel().name());
	}

	/** An import's batch: one invocation for all of its members. */
	@ApplicationModuleListener
	void on(MembersEnrolled batch) {
		java.util.Map<String, MemberEnrolled> byMember = new java.util.HashMap<>();
		batch.members().forEach(e -> byMember.putIfAbsent(e.memberId().value(), e));
		List<MemberFacts> after = facts.enrolledAll(batch.members().stream()
				.map(e -> new KeepingFacts.Enrolment(e.memberId(), e.programId().value(), e.enrolledAt())).toList());
		after.forEach(f -> assigning.judge(f, Offer.Trigger.ENROLLMENT, "enrolled",
				byMember.get(f.memberId()).channel().name()));
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
		challenges.erase(e.memberId());
		facts.change(e.memberId(), e.programId().value(), f -> MemberFacts.of(f.memberId(), f.programId()).stored(f.revision()));
	}

	/** A member's facts keep the last balance of a settled batch: one read and one write for the batch. */
	@ApplicationModuleListener
	void on(PointsSettled settled) {
		Map<MemberId, PointsMovement> last = new LinkedHashMap<>();
		settled.movements().forEach(m -> last.put(m.memberId(), m)); // in version order per member
		Map<MemberId, KeepingFacts.Change> changes = new LinkedHashMap<>();
		last.values().forEach(m -> changes.put(m.memberId(), new KeepingFacts.Change(m.programId().value(),
				f -> f.withBalance(m.available(), m.version()))));
		facts.changeAll(changes);
	}
}
