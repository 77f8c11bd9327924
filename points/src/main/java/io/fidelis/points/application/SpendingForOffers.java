package io.fidelis.points.application;

import java.util.Set;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.points.OfferBonusAwarded;
import io.fidelis.points.PointsSpending;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Source;

/** What offers asks of the ledger: rewards paid with points, and bonus points awarded. */
@Service
public class SpendingForOffers implements PointsSpending {

	/** The offers module acts on the ledger as this client; each request carries its own idempotency key. */
	static final Caller OFFERS = new Caller.IntegrationClient("offers", Set.of("points:write"));

	private final MovingPoints moving;
	private final SettingRules rules;

	SpendingForOffers(MovingPoints moving, SettingRules rules) {
		this.moving = moving;
		this.rules = rules;
	}

	@Override
	public java.util.OptionalLong smallestSpend(io.fidelis.members.ProgramId program) {
		return rules.rules(program.value()).map(r -> java.util.OptionalLong.of(r.minimumRedemption()))
				.orElse(java.util.OptionalLong.empty());
	}

	@Override
	public Spent spend(MemberId member, long points, String reason, String key) {
		MovingPoints.Moved moved = moving.move(OFFERS, new MovingPoints.Movement.Redeem(member.value(), points,
				new Source(Channel.APP, null, null, null, null), reason, "reward:" + key, key), false);
		if (moved instanceof MovingPoints.Moved.Refused refused) {
			return new Spent.Refused(refused.refusal().reason().name(), refused.refusal().message());
		}
		return new Spent.Done(((MovingPoints.Moved.Done) moved).entry().availableAfter());
	}

	/** Earns an offer's bonus once per award, whatever the redeliveries. */
	public void award(OfferBonusAwarded bonus) {
		MovingPoints.Moved moved = moving.move(OFFERS, new MovingPoints.Movement.Earn(bonus.memberId().value(), bonus.points(),
				null, null, new Source(Channel.APP, null, null, null, null), "offer:" + bonus.offerId(), bonus.awardId()), false);
		if (moved instanceof MovingPoints.Moved.Refused refused
				&& refused.refusal().reason() != io.fidelis.points.domain.Refusal.Reason.IDEMPOTENCY_KEY_REUSED) {
			org.slf4j.LoggerFactory.getLogger(SpendingForOffers.class).warn("Bonus {} for {} refused: {}", bonus.awardId(),
					bonus.memberId(), refused.refusal().message());
		}
	}
}
