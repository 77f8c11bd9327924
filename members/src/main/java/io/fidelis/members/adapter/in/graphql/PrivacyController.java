package io.fidelis.members.adapter.in.graphql;

import java.time.Instant;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberDataExport;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.Member;
import io.fidelis.members.application.ManagingMembers;
import io.fidelis.members.application.ProtectingPrivacy;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.application.Refusal;

/** Export, erase and deactivate: three separate operations. */
@Controller
class PrivacyController {

	private final ProtectingPrivacy privacy;
	private final ManagingMembers managing;

	private final java.time.Clock clock;

	PrivacyController(ProtectingPrivacy privacy, ManagingMembers managing, java.time.Clock clock) {
		this.clock = clock;
		this.privacy = privacy;
		this.managing = managing;
	}

	record EraseMemberInput(String memberId) {
	}

	record DeactivateMemberInput(String memberId, String reason) {
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_SUPPORT')")
	Export exportMemberData(@Argument String memberId, @AuthenticationPrincipal Caller caller) {
		Member m = done(privacy.export(caller, Ids.member(memberId))).member();
		MemberRecord record = new MemberRecord(m.name(), m.email().value(), m.phoneNumber().map(p -> p.value()).orElse(null),
				m.externalId(), ProtectingPrivacy.isErased(m) ? null : m.cardNumber().value(), m.status(), m.channel(),
				m.enrolledAt(), m.birthDate() == null ? null : m.birthDate().toString(), m.enrolledBy(),
				new ConsentRecord(m.consent().marketingOptIn(), m.consent().termsVersion(), m.consent().recordedAt()),
				m.referredBy() == null ? null : m.referredBy().value());
		return new Export(m.id(), m.programId(), clock.instant(), record);
	}

	/** The export's parent: the other modules resolve their sections from its member id. */
	record Export(MemberId memberId, ProgramId programId, Instant exportedAt, MemberRecord member)
			implements MemberDataExport {
	}

	/** @param cardNumber null once erased: the number is then kept only so that nobody else is given it */
	record MemberRecord(String name, String email, String phone, String externalId, String cardNumber,
			MemberStatus status, EnrollmentChannel channel, Instant enrolledAt, String birthDate, String enrolledBy,
			ConsentRecord consent, String referredBy) {
	}

	record ConsentRecord(boolean marketingOptIn, String termsVersion, Instant recordedAt) {
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
