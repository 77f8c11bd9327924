package io.fidelis.points.application;

import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.points.domain.ReferralRules;
import io.fidelis.points.domain.Refusal;

/**
 * A program's referral rules, and the bonuses they pay when a friend enrolls with a member's
 * code: each side once, through the ledger, whatever the redeliveries of the enrollment's event
 * (each bonus has an idempotency key made of the friend's id and the side).
 */
@Service
public class PayingReferrals {

	private static final Logger log = LoggerFactory.getLogger(PayingReferrals.class);

	/** The ledger's client for referral bonuses; each carries its own idempotency key. */
	static final Caller REFERRALS = new Caller.IntegrationClient("referrals", Set.of("points:write"));

	private final ReferralBook book;
	private final SettingRules programs;
	private final MovingPoints moving;

	PayingReferrals(ReferralBook book, SettingRules programs, MovingPoints moving) {
		this.book = book;
		this.programs = programs;
		this.moving = moving;
	}

	/** The program's referral rules as {@code caller} may read them; empty for an unknown program. */
	public Optional<ReferralRules> rules(Caller caller, String programId) {
		return programs.rules(caller, programId).map(known -> book.find(programId).orElse(ReferralRules.none(programId)));
	}

	/** Replaces a known program's referral rules; they apply to enrollments from now on. */
	public Optional<ReferralRules> replace(Caller caller, ReferralRules changed) {
		if (programs.rules(caller, changed.programId()).isEmpty()) {
			return Optional.empty();
		}
		book.save(changed);
		return Optional.of(changed);
	}

	/** Pays the bonuses of an enrollment that named a referrer; nothing for one that did not. */
	public void paid(MemberEnrolled enrolled) {
		if (enrolled.referredBy() == null) {
			return;
		}
		String program = enrolled.programId().value();
		ReferralRules rules = book.find(program).orElse(ReferralRules.none(program));
		pay(enrolled.memberId(), rules.refereePoints(), enrolled.memberId(), "referee");
		if (rules.referrerPoints() == 0) {
			return;
		}
		if (rules.referrerCap() != null) {
			java.time.ZoneId zone = programs.rules(program).map(io.fidelis.points.domain.PointRules::timeZone)
					.orElse(java.time.ZoneOffset.UTC);
			String period = rules.capPeriod().of(enrolled.enrolledAt().atZone(zone).toLocalDate());
			if (!book.countTowardsCap(enrolled.referredBy().value(), period, enrolled.memberId().value(), rules.referrerCap())) {
				log.info("No referral bonus for {}: {} friends in {} reached the program's cap", enrolled.referredBy().value(),
						rules.referrerCap(), period);
				return;
			}
		}
		pay(enrolled.referredBy(), rules.referrerPoints(), enrolled.memberId(), "referrer");
	}

	private void pay(MemberId to, long points, MemberId referee, String side) {
		if (points == 0) {
			return;
		}
		MovingPoints.Moved moved = moving.move(REFERRALS,
				new MovingPoints.Movement.ReferralBonus(to.value(), points, referee.value(), "referral:" + referee.value() + ":" + side),
				false);
		// a redelivery after the rules changed meets its first payment's key: paid once, at the first amount
		if (moved instanceof MovingPoints.Moved.Refused refused
				&& refused.refusal().reason() != Refusal.Reason.IDEMPOTENCY_KEY_REUSED) {
			log.warn("The {} bonus of the referral of {} was refused: {}", side, referee.value(), refused.refusal().message());
		}
	}
}
