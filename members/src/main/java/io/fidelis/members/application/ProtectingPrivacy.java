package io.fidelis.members.application;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberId;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;

/**
 * The member's privacy rights: an export of everything Fidelis holds on them (every module
 * contributes its part), and erasure, which anonymises personal data everywhere while ledger
 * amounts stay.
 */
@Service
public class ProtectingPrivacy {

	private final MemberStore members;
	private final NameIndex names;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	ProtectingPrivacy(MemberStore members, NameIndex names, ApplicationEventPublisher events, Clock clock) {
		this.members = members;
		this.names = names;
		this.events = events;
		this.clock = clock;
	}

	public sealed interface Outcome {
		record Done(Member member) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	/**
	 * The members module's part of an export (the other modules add theirs to the API's export
	 * type, from the member id): refused unless the caller is the member or staff of the program.
	 */
	public Outcome export(Caller caller, MemberId id) {
		Optional<Member> found = members.find(id);
		Optional<Refusal> refusal = allowed(caller, found, id);
		if (refusal.isPresent()) {
			return new Outcome.Refused(refusal.get());
		}
		return new Outcome.Done(found.get());
	}

	/** Whether the member's data was erased: their card number is then kept only so that nobody else gets it. */
	public static boolean isErased(Member member) {
		return erased(member);
	}

	/** Anonymises the member and closes the membership; erasing twice changes nothing more. */
	@Transactional
	public Outcome erase(Caller caller, MemberId id) {
		for (int attempt = 0; attempt < ManagingMembers.ATTEMPTS; attempt++) {
			Optional<Member> found = members.find(id);
			Optional<Refusal> refusal = allowed(caller, found, id);
			if (refusal.isPresent()) {
				return new Outcome.Refused(refusal.get());
			}
			Member before = found.get();
			Instant now = clock.instant();
			Member erased = new Member(before.id(), before.programId(),
					new EmailAddress("erased." + before.id().value() + "@erased.invalid"), "Erased member", null, null,
					CardNumber.ERASED, MemberStatus.CLOSED, new Consent(false, before.consent().termsVersion(), now),
					before.channel(), before.enrolledBy(), null, before.enrolledAt(), before.version() + 1);
			if (erased(before)) {
				members.forgetCardNumbers(id, before.programId()); // in case a crash came between the two
				return new Outcome.Done(before); // already erased
			}
			if (members.update(before.version(), erased)) {
				// the numbers stay claimed, by digest only: never issued again, shown nowhere
				members.forgetCardNumbers(id, before.programId());
				// a batch of claims not yet swept names them too
				members.forgetPending(id, before.enrolledAt());
				// the identifiers go too, so the same person can enroll again as someone new
				members.release(IdentityClaim.email(before.programId(), before.email()), id);
				names.remove(before.programId(), id, before.name());
				before.phoneNumber().ifPresent(p -> members.release(IdentityClaim.phone(before.programId(), p), id));
				before.externalReference()
						.ifPresent(x -> members.release(IdentityClaim.externalId(before.programId(), x), id));
				before.selfSubject().ifPresent(s -> members.release(IdentityClaim.subject(before.programId(), s), id));
				// a code that names nobody any more; only the member's own claims go
				ReferringMembers.claims(before.programId(), id).forEach(c -> members.release(c, id));
				events.publishEvent(new MemberErased(id, before.programId(), now));
				return new Outcome.Done(erased);
			}
		}
		return new Outcome.Refused(new Refusal(Refusal.Reason.CONFLICT, "The member is being changed; retry"));
	}

	private static boolean erased(Member member) {
		return member.email().value().endsWith("@erased.invalid");
	}

	private static Optional<Refusal> allowed(Caller caller, Optional<Member> member, MemberId id) {
		if (caller instanceof Caller.Member self
				&& (member.isEmpty() || !member.get().selfSubject().map(self.subject()::equals).orElse(false))) {
			return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, "Members may only ask for their own data"));
		}
		return member.isEmpty() ? Optional.of(new Refusal(Refusal.Reason.NOT_FOUND, "There is no member '" + id + "'"))
				: Refusal.outOfReach(caller, member.get().programId());
	}
}
