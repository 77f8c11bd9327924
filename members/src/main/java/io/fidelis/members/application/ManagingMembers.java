package io.fidelis.members.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.PhoneNumber;

/**
 * Life after enrollment: profile and consent changes (the member or staff), status changes
 * (staff), and look-ups by the identifiers tills and CRMs know a member by.
 */
@Service
public class ManagingMembers {

	static final int ATTEMPTS = 16;

	private final MemberStore members;
	private final NameIndex names;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	ManagingMembers(MemberStore members, NameIndex names, ApplicationEventPublisher events, Clock clock) {
		this.members = members;
		this.names = names;
		this.events = events;
		this.clock = clock;
	}

	/** The members named, by id; missing ones are left out. */
	public java.util.Map<MemberId, Member> members(java.util.Collection<MemberId> ids) {
		java.util.Map<MemberId, Member> found = new java.util.HashMap<>();
		members.findAll(ids).forEach(m -> found.put(m.id(), m));
		return found;
	}

	/** A page of members whose name has a word starting with {@code prefix} (3 letters at least). */
	public List<NameIndex.Entry> searchByName(Caller caller, ProgramId program, String prefix, String after, int first) {
		Refusal.requireReach(caller, program);
		if (prefix == null || NameIndex.normalise(prefix).length() < NameIndex.MIN_PREFIX) {
			throw new InvalidInput("namePrefix", "namePrefix needs at least " + NameIndex.MIN_PREFIX + " letters");
		}
		if (first < 1 || first > 100) {
			throw new InvalidInput("first", "first is 1 to 100");
		}
		return names.find(program, prefix, after, first);
	}

	public sealed interface Outcome {
		record Changed(Member member) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	/** Null fields keep what is there; a new email or phone must not belong to another member of the program. */
	public record UpdateProfile(MemberId memberId, String name, EmailAddress email, PhoneNumber phone,
			Boolean marketingOptIn, String termsVersion) {
		public UpdateProfile {
			if (name != null && (name.isBlank() || name.strip().length() > 200)) {
				throw new InvalidInput("name", "name must be 1 to 200 characters");
			}
			if (termsVersion != null && (termsVersion.isBlank() || termsVersion.length() > 40)) {
				throw new InvalidInput("termsVersion", "termsVersion must be 1 to 40 characters");
			}
		}
	}

	@Transactional
	public Outcome updateProfile(Caller caller, UpdateProfile change) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Optional<Member> found = members.find(change.memberId());
			Optional<Refusal> refusal = mayChange(caller, found, change.memberId());
			if (refusal.isPresent()) {
				return new Outcome.Refused(refusal.get());
			}
			Member before = found.get();
			if (before.status() == MemberStatus.CLOSED) {
				return refused(Refusal.Reason.CONFLICT, "A closed membership cannot be changed");
			}
			Instant now = clock.instant();
			List<IdentityClaim> taken = new ArrayList<>();
			List<IdentityClaim> released = new ArrayList<>();
			if (change.email() != null && !change.email().equals(before.email())) {
				taken.add(IdentityClaim.email(before.programId(), change.email()));
				released.add(IdentityClaim.email(before.programId(), before.email()));
			}
			if (change.phone() != null && !before.phoneNumber().map(change.phone()::equals).orElse(false)) {
				taken.add(IdentityClaim.phone(before.programId(), change.phone()));
				before.phoneNumber().ifPresent(p -> released.add(IdentityClaim.phone(before.programId(), p)));
			}
			List<IdentityClaim> won = new ArrayList<>();
			for (IdentityClaim claim : taken) {
				if (!members.claim(claim, before.id(), "profile", now).ownedBy(before.id())) {
					won.forEach(w -> members.release(w, before.id()));
					return refused(Refusal.Reason.CONFLICT,
							"Another member of this program already has " + claim.describe());
				}
				won.add(claim);
			}
			Consent consent = null;
			if (change.marketingOptIn() != null || change.termsVersion() != null) {
				consent = new Consent(change.marketingOptIn() == null ? before.consent().marketingOptIn()
						: change.marketingOptIn(), change.termsVersion() == null ? before.consent().termsVersion()
								: change.termsVersion().strip(), now);
			}
			Member after = before.withProfile(change.name() == null ? null : change.name().strip(), change.email(),
					change.phone(), consent);
			if (members.update(before.version(), after)) {
				released.forEach(r -> members.release(r, before.id()));
				if (!after.name().equals(before.name())) {
					names.remove(before.programId(), before.id(), before.name());
					names.add(after.programId(), after.id(), after.name());
				}
				events.publishEvent(new MemberProfileChanged(after.id(), after.programId(),
						after.consent().marketingOptIn(), after.version(), now));
				return new Outcome.Changed(after);
			}
			won.forEach(w -> members.release(w, before.id())); // someone else changed the member: start over
		}
		return refused(Refusal.Reason.CONFLICT, "The member is being changed by someone else; retry");
	}

	@Transactional
	public Outcome changeStatus(Caller caller, MemberId id, MemberStatus next, String reason) {
		if (reason == null || reason.isBlank() || reason.length() > 500) {
			throw new InvalidInput("reason", "A status change needs a reason (at most 500 characters)");
		}
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Optional<Member> found = members.find(id);
			if (found.isEmpty()) {
				return refused(Refusal.Reason.NOT_FOUND, "There is no member '" + id + "'");
			}
			Member before = found.get();
			Optional<Refusal> outOfReach = Refusal.outOfReach(caller, before.programId());
			if (outOfReach.isPresent()) {
				return new Outcome.Refused(outOfReach.get());
			}
			if (before.status() == next) {
				return new Outcome.Changed(before); // already so: a retry, or two operators agreeing
			}
			Optional<Member> after = before.becoming(next);
			if (after.isEmpty()) {
				return refused(Refusal.Reason.CONFLICT,
						"A " + before.status().name().toLowerCase() + " member cannot become " + next.name().toLowerCase());
			}
			if (members.update(before.version(), after.get())) {
				events.publishEvent(new MemberStatusChanged(id, before.programId(), before.status().name(), next.name(),
						reason.strip(), after.get().version(), clock.instant()));
				return new Outcome.Changed(after.get());
			}
		}
		return refused(Refusal.Reason.CONFLICT, "The member is being changed by someone else; retry");
	}

	/** Which identifier a till or CRM knows the member by. */
	public sealed interface Identifier {
		record ByEmail(EmailAddress email) implements Identifier {
		}

		record ByPhone(PhoneNumber phone) implements Identifier {
		}

		record ByExternalId(String externalId) implements Identifier {
		}

		record ByCard(CardNumber card) implements Identifier {
		}
	}

	/** By exact key: each identifier is a claim that names its member. */
	public Optional<Member> lookUp(Caller caller, ProgramId program, Identifier identifier) {
		Refusal.requireReach(caller, program);
		return lookUp(program, identifier);
	}

	/** {@link #lookUp(Caller, ProgramId, Identifier)} for a caller whose boundary was checked already. */
	Optional<Member> lookUp(ProgramId program, Identifier identifier) {
		IdentityClaim claim;
		if (identifier instanceof Identifier.ByEmail e) {
			claim = IdentityClaim.email(program, e.email());
		}
		else if (identifier instanceof Identifier.ByPhone p) {
			claim = IdentityClaim.phone(program, p.phone());
		}
		else if (identifier instanceof Identifier.ByExternalId x) {
			claim = IdentityClaim.externalId(program, Member.externalId(x.externalId()));
		}
		else {
			CardNumber card = ((Identifier.ByCard) identifier).card();
			// a replaced or revoked card stays claimed by its member, but identifies nobody any more
			return members.held(IdentityClaim.card(program, card)).filter(held -> held.retired() == null)
					.flatMap(held -> members.find(held.owner()))
					.filter(m -> m.programId().equals(program) && m.cardNumber().equals(card));
		}
		return members.held(claim).flatMap(held -> members.find(held.owner()))
				.filter(m -> m.programId().equals(program));
	}

	private static Optional<Refusal> mayChange(Caller caller, Optional<Member> member, MemberId id) {
		if (caller instanceof Caller.Member self
				&& (member.isEmpty() || !member.get().selfSubject().map(self.subject()::equals).orElse(false))) {
			return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, "Members may only change their own profile"));
		}
		if (member.isEmpty()) {
			return Optional.of(new Refusal(Refusal.Reason.NOT_FOUND, "There is no member '" + id + "'"));
		}
		return Refusal.outOfReach(caller, member.get().programId());
	}

	private static Outcome refused(Refusal.Reason reason, String message) {
		return new Outcome.Refused(new Refusal(reason, message));
	}
}
