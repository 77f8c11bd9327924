package io.fidelis.points.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.points.application.OpeningAccounts;

/** What points does when the members module speaks. */
@Component
class MemberEvents {

	private final OpeningAccounts accounts;

	MemberEvents(OpeningAccounts accounts) {
		this.accounts = accounts;
	}

	@ApplicationModuleListener
	void on(MemberEnrolled event) {
		accounts.open(event.memberId(), event.programId());
	}
}
