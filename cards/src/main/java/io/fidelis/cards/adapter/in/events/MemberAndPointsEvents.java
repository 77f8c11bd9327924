package io.fidelis.cards.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.cards.application.KeepingCards;
import io.fidelis.members.MemberCardReplaced;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.points.PointsAccountOpened;
import io.fidelis.points.PointsActivated;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsTransferred;

/**
 * Cards follow the member and their points. Points events only say "the balance moved": the card
 * reads the balance as it stands, with its account version, so events arriving late or twice
 * never put an older balance on a card.
 */
@Component
class MemberAndPointsEvents {

	private final KeepingCards cards;

	MemberAndPointsEvents(KeepingCards cards) {
		this.cards = cards;
	}

	@ApplicationModuleListener
	void on(MemberEnrolled e) {
		cards.cardOf(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsAccountOpened e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsEarned e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsActivated e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsRedeemed e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsReversed e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsExpired e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsAdjusted e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(PointsTransferred e) {
		cards.balanceChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(TierChanged e) {
		cards.tierChanged(e.memberId(), e.tier());
	}

	@ApplicationModuleListener
	void on(MemberProfileChanged e) {
		cards.holderChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(MemberCardReplaced e) {
		cards.holderChanged(e.memberId());
	}

	@ApplicationModuleListener
	void on(MemberStatusChanged e) {
		if ("CLOSED".equals(e.status())) {
			cards.memberClosed(e.memberId());
		}
	}

	@ApplicationModuleListener
	void on(MemberErased e) {
		cards.memberErased(e.memberId());
	}
}
