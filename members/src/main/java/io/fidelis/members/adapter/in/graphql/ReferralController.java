package io.fidelis.members.adapter.in.graphql;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.MemberProfile;
import io.fidelis.members.application.ReferringMembers;
import io.fidelis.members.domain.ReferralCode;

/** A member's referral code, on the member as whoever may see the member sees it. */
@Controller
class ReferralController {

	private final ReferringMembers referrals;

	ReferralController(ReferringMembers referrals) {
		this.referrals = referrals;
	}

	/** Claimed the first time anyone asks (one small write, then one read by exact key). */
	@SchemaMapping(typeName = "Member", field = "referralCode")
	String referralCode(MemberProfile member) {
		return referrals.codeOf(member.memberId(), member.programId(), member.status()).map(ReferralCode::display)
				.orElse(null);
	}
}
