package io.fidelis.members.adapter.in.graphql;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.KeepingTiers;
import io.fidelis.members.application.Refusal;
import io.fidelis.members.domain.TierPolicy;

/** Tier ladders (staff) and each member's tier, with their progress to the next one. */
@Controller
class TierController {

	private final KeepingTiers tiers;

	TierController(KeepingTiers tiers) {
		this.tiers = tiers;
	}

	record TierInput(String name, long threshold) {
	}

	record TierLadderInput(String programId, List<TierInput> tiers, TierPolicy.Metric metric, Integer windowMonths,
			Integer graceDays, java.util.Currency currency) {
	}

	record TierLadder(String programId, List<TierPolicy.Tier> tiers, TierPolicy.Metric metric, int windowMonths,
			int graceDays, String currency) {
		static TierLadder of(String programId, TierPolicy p) {
			return new TierLadder(programId, p.ladder(), p.metric(), p.windowMonths(), p.graceDays(), p.currency());
		}
	}

	record AssignTierInput(String memberId, String tier, Instant until) {
	}

	record MemberTier(String name, Instant since, Instant reviewAt, String manualTier, Instant manualUntil,
			long qualifying, String nextTier, Long missing, String progress) {
		static MemberTier of(KeepingTiers.Standing s) {
			return new MemberTier(s.tier(), s.standing().earnedSince(), s.standing().reviewAt(), s.standing().manualTier(),
					s.standing().manualUntil(), s.qualifying(), s.progress().map(TierPolicy.Progress::nextTier).orElse(null),
					s.progress().map(TierPolicy.Progress::missing).orElse(null),
					s.progress().map(TierPolicy.Progress::describe).orElse(null));
		}
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetTierLadderPayload setTierLadder(@Argument TierLadderInput input, @AuthenticationPrincipal Caller caller) {
		TierPolicy policy = new TierPolicy(input.tiers().stream().map(t -> new TierPolicy.Tier(t.name(), t.threshold()))
				.toList(), input.metric(), input.windowMonths() == null ? 12 : input.windowMonths(),
				input.graceDays() == null ? 30 : input.graceDays(),
				input.currency() == null ? null : input.currency().getCurrencyCode());
		return tiers.setPolicy(caller, Ids.program(input.programId()), policy)
				.map(p -> new SetTierLadderPayload(TierLadder.of(input.programId(), p))).orElseThrow(() -> new Refusal.Refused(new Refusal(Refusal.Reason.NOT_FOUND,
						"There is no program '" + input.programId() + "'")));
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('STAFF', 'MEMBER', 'INTEGRATION')")
	TierLadder tierLadder(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return tiers.policy(caller, Ids.program(programId)).map(p -> TierLadder.of(programId, p)).orElse(null);
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	AssignTierPayload assignTier(@Argument AssignTierInput input, @AuthenticationPrincipal Caller caller) {
		tiers.assign(caller, Ids.member(input.memberId()), input.tier(), input.until()).orElseThrow(() -> new Refusal.Refused(
				new Refusal(Refusal.Reason.NOT_FOUND, "No such member, or their program has no tiers")));
		return new AssignTierPayload(tiers.standing(Ids.member(input.memberId())).map(MemberTier::of).orElseThrow());
	}

	record SetTierLadderPayload(TierLadder ladder) {
	}

	record AssignTierPayload(MemberTier tier) {
	}

	/**
	 * Whoever could read the member may read their tier. A page of members costs one read of
	 * their standings (and none is written by reading).
	 */
	@BatchMapping(typeName = "Member", field = "tier")
	Map<MemberProfile, MemberTier> tier(List<MemberProfile> members) {
		Map<MemberId, ProgramId> programs = new HashMap<>();
		members.forEach(m -> programs.put(m.memberId(), m.programId()));
		Map<MemberId, KeepingTiers.Standing> standings = tiers.standingsOf(programs);
		Map<MemberProfile, MemberTier> byMember = new HashMap<>();
		for (MemberProfile member : members) {
			KeepingTiers.Standing standing = standings.get(member.memberId());
			if (standing != null) {
				byMember.put(member, MemberTier.of(standing));
			}
		}
		return byMember;
	}
}
