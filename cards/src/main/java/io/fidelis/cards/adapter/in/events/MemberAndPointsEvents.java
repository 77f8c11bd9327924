package io.fidelis.cards.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.cards.application.KeepingCards;
import io.fidelis.members.MemberCardReplaced;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.points.PointsMovement;
import io.fidelis.points.PointsSettled;

/**
 * Cards follow the member and their points. Points events only say "the balance moved": the card
 * reads the balance as it stands, with its account version, so events arriving late or twice
 * never put an older balance on a card.
 *
 * <p>Cards do not follow accounts being opened: an account opens empty at version 0, which is
 * what a new card shows, so the refresh changed nothing and cost an enrollment a stored
 * publication, a listener call and four reads. The first movement's {@code PointsSettled} brings
 * the balance, whichever of card and account came first.
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

	/** An import's batch: one invocation for all of its members. */
	@ApplicationModuleListener
	void on(MembersEnrolled e) {
		cards.issueAll(e.members().stream().map(io.fidelis.members.MemberEnrolled::memberId).toList());
	}

	/** Once per member of a settled batch, however often their balance moved in it. */
	@ApplicationModuleListener
	void on(PointsSettled settled) {
		cards.balancesChanged(settled.movements().stream().map(PointsMovement::memberId).toList());
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
		cards.cardNumberChanged(e.memberId(), e.previousCardNumber(), e.reason());
	}

	@ApplicationModuleListener
	void on(MemberStatusChanged e) {
		switch (e.status()) {
			case "CLOSED" -> cards.memberClosed(e.memberId());
			case "SUSPENDED" -> cards.memberSuspended(e.memberId(), true);
			case "ACTIVE" -> cards.memberSuspended(e.memberId(), false);
			default -> {
				// a status cards do not show
			}
		}
	}

	@ApplicationModuleListener
	void on(MemberErased e) {
		cards.memberErased(e.memberId());
	}
}
