package io.fidelis.members.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.application.ReferredFriends;

/** A referrer's list of friends follows the enrollments that gave their code, and goes with their data. */
@Component
class ReferralActivity {

	private final ReferredFriends friends;

	ReferralActivity(ReferredFriends friends) {
		this.friends = friends;
	}

	/** Only enrollments that gave a code: the rest cost nothing here. */
	@ApplicationModuleListener(condition = "#event.referredBy() != null")
	void on(MemberEnrolled event) {
		friends.enrolled(event);
	}

	@ApplicationModuleListener
	void on(MembersEnrolled batch) {
		batch.members().forEach(friends::enrolled);
	}

	@ApplicationModuleListener
	void on(MemberErased event) {
		friends.erased(event.memberId());
	}
}
