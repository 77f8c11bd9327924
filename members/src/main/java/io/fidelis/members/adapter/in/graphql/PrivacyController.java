package io.fidelis.members.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.application.ManagingMembers;
import io.fidelis.members.application.ProtectingPrivacy;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.application.Refusal;

/** Export, erase and deactivate: three separate operations. */
@Controller
class PrivacyController {

	private final ProtectingPrivacy privacy;
	private final ManagingMembers managing;

	PrivacyController(ProtectingPrivacy privacy, ManagingMembers managing) {
		this.privacy = privacy;
		this.managing = managing;
	}

	record EraseMemberInput(String memberId) {
	}

	record DeactivateMemberInput(String memberId, String reason) {
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_SUPPORT')")
	Map<String, Object> exportMemberData(@Argument String memberId, @AuthenticationPrincipal Caller caller) {
		return done(privacy.export(caller, Ids.member(memberId))).data();
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN')")
	MemberLifecycleController.MemberPayload eraseMember(@Argument EraseMemberInput input,
			@AuthenticationPrincipal Caller caller) {
		return new MemberLifecycleController.MemberPayload(
				MemberController.profile(done(privacy.erase(caller, Ids.member(input.memberId()))).member()));
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	MemberLifecycleController.MemberPayload deactivateMember(@Argument DeactivateMemberInput input,
			@AuthenticationPrincipal Caller caller) {
		ManagingMembers.Outcome outcome = managing.changeStatus(caller, Ids.member(input.memberId()), MemberStatus.CLOSED,
				input.reason());
		if (outcome instanceof ManagingMembers.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return new MemberLifecycleController.MemberPayload(
				MemberController.profile(((ManagingMembers.Outcome.Changed) outcome).member()));
	}

	private static ProtectingPrivacy.Outcome.Done done(ProtectingPrivacy.Outcome outcome) {
		if (outcome instanceof ProtectingPrivacy.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return (ProtectingPrivacy.Outcome.Done) outcome;
	}
}
