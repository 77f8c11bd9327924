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
		java.time.LocalDate day = enrolled.enrolledAt().atZone(programs.rules(program)
				.map(io.fidelis.points.domain.PointRules::timeZone).orElse(java.time.ZoneOffset.UTC)).toLocalDate();
		long toFriend = pay(enrolled.memberId(), rules.refereePoints(), enrolled.memberId(), "referee");
		long toReferrer = 0;
		if (rules.referrerPoints() > 0) {
			String period = rules.capPeriod().of(day);
			if (rules.referrerCap() == null || book.countTowardsCap(enrolled.referredBy().value(), period,
					enrolled.memberId().value(), rules.referrerCap())) {
				toReferrer = pay(enrolled.referredBy(), rules.referrerPoints(), enrolled.memberId(), "referrer");
			}
			else {
				log.info("No referral bonus for {}: {} friends in {} reached the program's cap", enrolled.referredBy().value(),
						rules.referrerCap(), period);
			}
		}
		book.record(program, day, new ReferralBook.Referral(enrolled.memberId().value(), enrolled.referredBy().value(),
				toFriend, toReferrer));
	}

	/** What the program's referral figures show, over inclusive days of its time zone (at most 366). */
	public Optional<Figures> figures(Caller caller, String programId, java.time.LocalDate from, java.time.LocalDate to) {
		if (to.isBefore(from) || from.plusDays(365).isBefore(to)) {
			throw new io.fidelis.points.domain.InvalidPoints("to", "A referral report covers 1 to 366 days, from before to");
		}
		if (programs.rules(caller, programId).isEmpty()) {
			return Optional.empty();
		}
		java.util.List<ReferralBook.Referral> referrals = book.referrals(programId, from.datesUntil(to.plusDays(1)).toList());
		java.util.Map<String, Referrer> byReferrer = new java.util.HashMap<>();
		for (ReferralBook.Referral r : referrals) {
			byReferrer.merge(r.referrer(), new Referrer(r.referrer(), 1, r.referrerPoints()),
					(a, b) -> new Referrer(a.memberId(), a.friends() + 1, a.points() + b.points()));
		}
		return Optional.of(new Figures(programId, from, to, referrals.size(),
				referrals.stream().mapToLong(ReferralBook.Referral::refereePoints).sum(),
				referrals.stream().mapToLong(ReferralBook.Referral::referrerPoints).sum(),
				byReferrer.values().stream().sorted(java.util.Comparator.comparingInt(Referrer::friends).reversed()
						.thenComparing(java.util.Comparator.comparingLong(Referrer::points).reversed())
						.thenComparing(Referrer::memberId)).toList()));
	}

	/** A program's referrals over a range: how many friends came, what each side was paid, who brought most (most first). */
	public record Figures(String programId, java.time.LocalDate from, java.time.LocalDate to, int referrals,
			long refereePoints, long referrerPoints, java.util.List<Referrer> topReferrers) {
	}

	/** A member who referred, with the friends who came with their code in the range and what that paid them. */
	public record Referrer(String memberId, int friends, long points) {
	}

	/** What the side was paid (also by an earlier delivery); 0 when nothing is owed or the ledger refused. */
	private long pay(MemberId to, long points, MemberId referee, String side) {
		if (points == 0) {
			return 0;
		}
		MovingPoints.Moved moved = moving.move(REFERRALS,
				new MovingPoints.Movement.ReferralBonus(to.value(), points, referee.value(), "referral:" + referee.value() + ":" + side),
				false);
		// a redelivery after the rules changed meets its first payment's key: paid once, at the first amount
		if (moved instanceof MovingPoints.Moved.Refused refused) {
			if (refused.refusal().reason() != Refusal.Reason.IDEMPOTENCY_KEY_REUSED) {
				log.warn("The {} bonus of the referral of {} was refused: {}", side, referee.value(), refused.refusal().message());
			}
			return 0;
		}
		return ((MovingPoints.Moved.Done) moved).entry().delta();
	}
}
