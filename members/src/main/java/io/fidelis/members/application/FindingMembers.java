package io.fidelis.members.application;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;

/** Reads member profiles, each caller only what they may see: members their own, staff and integrations any. */
@Service
public class FindingMembers implements MemberDirectory {

	private final MemberStore members;

	private final ProgramStore programs;

	private final TierBook tiers;
	private final ManagingMembers managing;
	private final java.time.Clock clock;

	FindingMembers(MemberStore members, ProgramStore programs, TierBook tiers, ManagingMembers managing,
			java.time.Clock clock) {
		this.managing = managing;
		this.members = members;
		this.programs = programs;
		this.tiers = tiers;
		this.clock = clock;
	}

	@Override
	public Optional<io.fidelis.members.MemberProfile> profileOf(MemberId id) {
		return members.find(id).map(Member::profile);
	}

	@Override
	public io.fidelis.members.MemberIdentifier.Identified identify(ProgramId program,
			io.fidelis.members.MemberIdentifier identifier) {
		if (identifier == null || identifier.given() != 1) {
			return new io.fidelis.members.MemberIdentifier.Identified.Invalid("member",
					"Name the member by exactly one of memberId, cardNumber, externalId or email");
		}
		ManagingMembers.Identifier by;
		try {
			by = identifier.memberId() != null ? null
					: identifier.cardNumber() != null
							? new ManagingMembers.Identifier.ByCard(new io.fidelis.members.domain.CardNumber(identifier.cardNumber()))
							: identifier.externalId() != null ? new ManagingMembers.Identifier.ByExternalId(identifier.externalId())
									: new ManagingMembers.Identifier.ByEmail(new io.fidelis.members.domain.EmailAddress(identifier.email()));
		}
		catch (io.fidelis.members.domain.InvalidInput e) {
			return new io.fidelis.members.MemberIdentifier.Identified.Invalid(e.field(), e.getMessage());
		}
		Optional<Member> found = by == null ? members.find(new MemberId(identifier.memberId())) : managing.lookUp(program, by);
		if (found.isEmpty() && by instanceof ManagingMembers.Identifier.ByCard card) {
			Optional<String> blocked = members.retiredCard(IdentityClaim.card(program, card.card()))
					.map(r -> r.blockedMessage(card.card().value()));
			if (blocked.isPresent()) {
				return new io.fidelis.members.MemberIdentifier.Identified.Blocked(blocked.get());
			}
		}
		return found.filter(m -> m.programId().equals(program))
				.<io.fidelis.members.MemberIdentifier.Identified>map(m -> new io.fidelis.members.MemberIdentifier.Identified.Found(m.id(),
						m.status() == io.fidelis.members.domain.MemberStatus.ACTIVE))
				.orElseGet(() -> new io.fidelis.members.MemberIdentifier.Identified.Unknown(
						"No member of program '" + program + "' has that identifier"));
	}

	@Override
	public Optional<String> tierOf(MemberId id) {
		return tiers.standing(id.value()).map(s -> s.effectiveTier(clock.instant()));
	}

	@Override
	public java.util.Map<MemberId, io.fidelis.members.MemberProfile> profilesOf(java.util.Collection<MemberId> ids) {
		java.util.Map<MemberId, io.fidelis.members.MemberProfile> found = new java.util.HashMap<>();
		members.findAll(ids).forEach(m -> found.put(m.id(), m.profile()));
		return found;
	}

	@Override
	public java.util.Map<MemberId, String> tiersOf(java.util.Collection<MemberId> ids) {
		java.time.Instant now = clock.instant();
		java.util.Map<MemberId, String> found = new java.util.HashMap<>();
		tiers.standings(ids.stream().map(MemberId::value).toList()).forEach((id, s) -> {
			String tier = s.effectiveTier(now);
			if (tier != null) {
				found.put(new MemberId(id), tier);
			}
		});
		return found;
	}

	@Override
	public Optional<io.fidelis.members.ProgramDefined> programDefinition(ProgramId program) {
		return programs.find(program).map(p -> new io.fidelis.members.ProgramDefined(p.id(), p.name(), p.currencies(),
				p.timeZone(), p.channels(), p.definedAt()));
	}

	@Override
	public Optional<java.time.ZoneId> timeZoneOf(ProgramId program) {
		return programs.find(program).map(io.fidelis.members.domain.Program::timeZone);
	}

	public sealed interface Lookup {
		record Found(Member member) implements Lookup {
		}

		record Refused(Refusal refusal) implements Lookup {
		}
	}

	public Lookup member(Caller caller, MemberId id) {
		Optional<Member> member = members.find(id);
		if (caller instanceof Caller.Member self) {
			// a member learns nothing about other members, not even whether they exist
			if (member.isEmpty() || !member.get().selfSubject().map(self.subject()::equals).orElse(false)) {
				return new Lookup.Refused(Refusal.forbidden("Members may only read their own profile"));
			}
		}
		if (member.isPresent() && !caller.mayReach(member.get().programId())) {
			return new Lookup.Refused(Refusal.outOfReach(caller, member.get().programId()).orElseThrow());
		}
		return member.<Lookup>map(Lookup.Found::new)
				.orElseGet(() -> new Lookup.Refused(Refusal.notFound("There is no member '" + id + "'")));
	}

	@Override
	public boolean isSelf(Caller.Member caller, MemberId id) {
		return members.find(id).flatMap(Member::selfSubject).map(caller.subject()::equals).orElse(false);
	}

	@Override
	public boolean isActive(MemberId id) {
		return members.find(id).map(m -> m.status() == io.fidelis.members.domain.MemberStatus.ACTIVE).orElse(false);
	}

	@Override
	public java.util.Set<MemberId> activeAmong(Collection<MemberId> ids) {
		java.util.Set<MemberId> active = new java.util.HashSet<>();
		members.findAll(ids).forEach(m -> {
			if (m.status() == io.fidelis.members.domain.MemberStatus.ACTIVE) {
				active.add(m.id());
			}
		});
		return active;
	}

	@Override
	public Optional<ProgramId> programOf(MemberId id) {
		return members.find(id).map(Member::programId);
	}

	/** The calling member's own profile in a program, if they enrolled there. */
	public Optional<Member> me(Caller.Member caller, ProgramId program) {
		return members.held(IdentityClaim.subject(program, caller.subject()))
				.flatMap(claim -> members.find(claim.owner()));
	}

	/** For other modules' batch loads; authorization happened when the parent object was read. */
	public List<Member> members(Collection<MemberId> ids) {
		return members.findAll(ids);
	}
}
