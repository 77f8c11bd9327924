package io.fidelis.members.adapter.in.graphql;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.application.EnrollmentDesk;
import io.fidelis.members.application.FindingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.PhoneNumber;
import io.fidelis.members.domain.Program;
import io.fidelis.members.application.Refusal;

/** The {@code Member} type: enrollment and profile reads. */
@Controller
class MemberController {

	private final EnrollmentDesk desk;
	private final FindingMembers finding;
	private final DefiningPrograms programs;

	MemberController(EnrollmentDesk desk, FindingMembers finding, DefiningPrograms programs) {
		this.desk = desk;
		this.finding = finding;
		this.programs = programs;
	}

	record EnrollMemberInput(String programId, String email, String name, String phone, Boolean marketingOptIn,
			String termsVersion, String idempotencyKey, String externalId, String cardNumber,
			java.time.LocalDate birthDate, String referralCode, String deviceId, String paymentFingerprint) {
	}

	record EnrollMemberPayload(MemberProfile member, boolean replayed) {
	}

	record Consent(boolean marketingOptIn, String termsVersion, Instant recordedAt) {
	}

	static MemberProfile profile(Member m) {
		return m.profile();
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR', 'MEMBER') or hasAuthority('SCOPE_members:write')")
	EnrollMemberPayload enrollMember(@Argument EnrollMemberInput input, @AuthenticationPrincipal Caller caller) {
		EnrollMember request = new EnrollMember(Ids.program(input.programId()), new EmailAddress(input.email()),
				input.name(), input.phone() == null || input.phone().isBlank() ? null : new PhoneNumber(input.phone()),
				Boolean.TRUE.equals(input.marketingOptIn()), input.termsVersion(), input.idempotencyKey(),
				input.externalId(), input.cardNumber() == null || input.cardNumber().isBlank() ? null
						: new io.fidelis.members.domain.CardNumber(input.cardNumber()),
				io.fidelis.members.domain.Member.birthDate(input.birthDate() == null ? null : input.birthDate().toString(),
						java.time.LocalDate.now(java.time.ZoneOffset.UTC)),
				input.referralCode() == null || input.referralCode().isBlank() ? null
						: io.fidelis.members.domain.ReferralCode.typed(input.referralCode()),
				input.deviceId(), input.paymentFingerprint());
		EnrollingMembers.Outcome outcome = desk.enroll(caller, request);
		if (outcome instanceof EnrollingMembers.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		EnrollingMembers.Outcome.Enrolled enrolled = (EnrollingMembers.Outcome.Enrolled) outcome;
		return new EnrollMemberPayload(profile(enrolled.member()), enrolled.replayed());
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('STAFF', 'MEMBER') or hasAuthority('SCOPE_members:read')")
	MemberProfile member(@Argument String id, @AuthenticationPrincipal Caller caller) {
		FindingMembers.Lookup lookup = finding.member(caller, Ids.member(id));
		if (lookup instanceof FindingMembers.Lookup.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return profile(((FindingMembers.Lookup.Found) lookup).member());
	}

	@QueryMapping
	@PreAuthorize("hasRole('MEMBER')")
	MemberProfile me(@Argument String programId, @AuthenticationPrincipal Caller.Member caller) {
		return finding.me(caller, Ids.program(programId)).map(MemberController::profile).orElse(null);
	}

	@BatchMapping(typeName = "Member", field = "program")
	Map<MemberProfile, Program> program(List<MemberProfile> members) {
		Map<ProgramId, Program> byId = new java.util.HashMap<>();
		for (MemberProfile member : members) {
			if (!byId.containsKey(member.programId())) {
				programs.programOf(member).ifPresent(p -> byId.put(p.id(), p));
			}
		}
		return members.stream().distinct()
				.collect(Collectors.toMap(Function.identity(), m -> byId.get(m.programId())));
	}

	@SchemaMapping(typeName = "Member", field = "id")
	String id(MemberProfile member) {
		return member.memberId().value();
	}

	@SchemaMapping(typeName = "Member", field = "consent")
	Consent consent(MemberProfile member) {
		return new Consent(member.marketingOptIn(), member.termsVersion(), member.consentRecordedAt());
	}
}
