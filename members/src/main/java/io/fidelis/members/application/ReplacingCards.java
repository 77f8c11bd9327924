package io.fidelis.members.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.CardNumbers;
import io.fidelis.members.MemberCardReplaced;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.Program;

/**
 * A card reported lost, stolen or damaged is blocked at once and a new number is linked to the
 * same member, so their account, balance and history stay. The blocked number stays claimed by the
 * member and is never issued again; a till that scans it is told it is blocked.
 */
@Service
public class ReplacingCards implements CardNumbers {

	public static final Set<String> REASONS = Set.of("LOST", "STOLEN", "DAMAGED");

	private final MemberStore members;
	private final ProgramStore programs;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	private final RandomGenerator random = new SecureRandom();

	ReplacingCards(MemberStore members, ProgramStore programs, ApplicationEventPublisher events, Clock clock) {
		this.members = members;
		this.programs = programs;
		this.events = events;
		this.clock = clock;
	}

	public sealed interface Outcome {
		/** @param replayed true when the reported card had already been replaced by this very request */
		record Replaced(Member member, String blockedCardNumber, boolean replayed) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	/**
	 * Blocks {@code reported} and gives the member a new number. Reporting the same card again
	 * answers the replacement already made, so a retried request does not draw a third number.
	 */
	@org.springframework.transaction.annotation.Transactional
	public Outcome reportCard(Caller caller, MemberId memberId, CardNumber reported, String reason) {
		String why = reason == null ? "" : reason.strip().toUpperCase(Locale.ROOT);
		if (!REASONS.contains(why)) {
			throw new InvalidInput("reason", "'" + reason + "' is not a reason: LOST, STOLEN or DAMAGED");
		}
		Optional<Member> found = members.find(memberId);
		if (caller instanceof Caller.Member self
				&& (found.isEmpty() || !found.get().selfSubject().map(self.subject()::equals).orElse(false))) {
			return refused(Refusal.forbidden("Members may only report their own card"));
		}
		if (found.isEmpty()) {
			return refused(Refusal.notFound("There is no member '" + memberId + "'"));
		}
		Member member = found.get();
		Optional<Refusal> outOfReach = Refusal.outOfReach(caller, member.programId());
		if (outOfReach.isPresent()) {
			return refused(outOfReach.get());
		}
		IdentityClaim reportedClaim = IdentityClaim.card(member.programId(), reported);
		if (!member.cardNumber().equals(reported)) {
			Optional<MemberStore.RetiredCard> retired = members.retiredCard(reportedClaim)
					.filter(r -> r.owner().equals(memberId));
			if (retired.isPresent()) {
				return new Outcome.Replaced(member, reported.value(), true);
			}
			return refused(Refusal.notFound("The card " + reported.value() + " is not member " + memberId + "'s card"));
		}
		if (member.status() == MemberStatus.CLOSED) {
			return refused(Refusal.conflict("Member " + memberId + " is closed: a closed account gets no new card"));
		}
		if (members.retiredCard(reportedClaim).isPresent()) {
			return refused(Refusal.conflict("The card " + reported.value() + " was revoked by staff; staff can reinstate "
					+ "the member's card (reinstateCard)"));
		}
		Program program = programs.find(member.programId()).orElseThrow();
		Instant now = clock.instant();
		CardNumber replacement = draw(program, memberId, now);
		if (replacement == null) {
			return refused(Refusal.conflict("No free card number could be drawn; retry"));
		}
		// block first: from here on the lost card identifies nobody, even if the next write fails
		members.retireCard(reportedClaim, memberId, why, replacement.value(), now);
		Member after = member;
		while (true) {
			if (members.update(after.version(), after.withCard(replacement))) {
				after = after.withCard(replacement);
				break;
			}
			after = members.find(memberId).orElseThrow();
			if (!after.cardNumber().equals(reported)) {
				// a concurrent report of the same card replaced it first: theirs stands, ours is never used
				members.retireCard(IdentityClaim.card(member.programId(), replacement), memberId, why,
						after.cardNumber().value(), now);
				return new Outcome.Replaced(after, reported.value(), true);
			}
		}
		events.publishEvent(new MemberCardReplaced(memberId, member.programId(), reported.value(),
				replacement.value(), why, now));
		return new Outcome.Replaced(after, reported.value(), false);
	}

	@Override
	public Optional<String> revoke(MemberId memberId, Instant at) {
		Optional<Member> found = members.find(memberId);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Member member = found.get();
		IdentityClaim claim = IdentityClaim.card(member.programId(), member.cardNumber());
		if (members.retiredCard(claim).isEmpty()) {
			members.retireCard(claim, memberId, MemberStore.RetiredCard.REVOKED, null, at);
		}
		return Optional.of(member.cardNumber().value());
	}

	@Override
	public boolean revoked(MemberId memberId) {
		return members.find(memberId)
				.flatMap(m -> members.retiredCard(IdentityClaim.card(m.programId(), m.cardNumber())))
				.filter(r -> MemberStore.RetiredCard.REVOKED.equals(r.reason())).isPresent();
	}

	/** Draws a new number as a replacement would; the revoked one stays blocked for good. */
	@Override
	@org.springframework.transaction.annotation.Transactional
	public Optional<String> reinstate(MemberId memberId) {
		Optional<Member> found = members.find(memberId);
		if (found.isEmpty() || found.get().status() == MemberStatus.CLOSED || !revoked(memberId)) {
			return Optional.empty();
		}
		Member member = found.get();
		CardNumber revoked = member.cardNumber();
		Instant now = clock.instant();
		CardNumber replacement = draw(programs.find(member.programId()).orElseThrow(), memberId, now);
		if (replacement == null) {
			throw new IllegalStateException("No free card number could be drawn; retry");
		}
		members.retireCard(IdentityClaim.card(member.programId(), revoked), memberId, MemberStore.RetiredCard.REVOKED,
				replacement.value(), now);
		Member after = member;
		while (!members.update(after.version(), after.withCard(replacement))) {
			after = members.find(memberId).orElseThrow();
			if (!after.cardNumber().equals(revoked)) {
				// reinstated meanwhile by another request: theirs stands, ours is never used
				members.retireCard(IdentityClaim.card(member.programId(), replacement), memberId,
						MemberStore.RetiredCard.REVOKED, after.cardNumber().value(), now);
				return Optional.of(after.cardNumber().value());
			}
		}
		events.publishEvent(new MemberCardReplaced(memberId, member.programId(), revoked.value(), replacement.value(),
				"REINSTATED", now));
		return Optional.of(replacement.value());
	}

	/** Why a card number no longer identifies anyone, if it was blocked. */
	public Optional<MemberStore.RetiredCard> blocked(ProgramId program, CardNumber card) {
		return members.retiredCard(IdentityClaim.card(program, card));
	}

	private CardNumber draw(Program program, MemberId owner, Instant now) {
		for (int attempt = 0; attempt < 5; attempt++) {
			CardNumber candidate = CardNumber.generate(program.cardPrefix(), random);
			if (members.claimCard(program.id(), candidate, owner, "replacement", now)) {
				return candidate;
			}
		}
		return null;
	}

	private static Outcome refused(Refusal refusal) {
		return new Outcome.Refused(refusal);
	}
}
