package io.fidelis.members.adapter.in.graphql;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.ListConnection;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.application.ReferredFriends;
import io.fidelis.members.application.ReferringMembers;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.ReferralCode;

/** A member's referral code, on the member as whoever may see the member sees it. */
@Controller
class ReferralController {

	private final ReferringMembers referrals;
	private final ReferredFriends friends;

	ReferralController(ReferringMembers referrals, ReferredFriends friends) {
		this.referrals = referrals;
		this.friends = friends;
	}

	/** The friends who enrolled with the member's code, newest first. */
	@SchemaMapping(typeName = "Member", field = "referredFriends")
	ListConnection<ReferredFriends.Friend> referredFriends(MemberProfile member, @Argument Integer first,
			@Argument String after) {
		return ListConnection.of(friends.of(member.memberId()), ReferredFriends.Friend::key, first, after, InvalidInput::new);
	}

	/** Claimed the first time anyone asks (one small write, then one read by exact key). */
	@SchemaMapping(typeName = "Member", field = "referralCode")
	String referralCode(MemberProfile member) {
		return referrals.codeOf(member.memberId(), member.programId(), member.status()).map(ReferralCode::display)
				.orElse(null);
	}
}
