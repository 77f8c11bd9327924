package io.fidelis.points.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.ProgramDefined;
import io.fidelis.points.application.OpeningAccounts;
import io.fidelis.points.application.SettingRules;

/** What points does when the members module speaks. */
@Component
class MemberEvents {

	private final OpeningAccounts accounts;
	private final SettingRules rules;

	MemberEvents(OpeningAccounts accounts, SettingRules rules) {
		this.accounts = accounts;
		this.rules = rules;
	}

	/** Every program starts with default point rules; defining the same program again keeps its rules. */
	@ApplicationModuleListener
	void on(ProgramDefined event) {
		rules.programDefined(event);
	}

	@ApplicationModuleListener
	void on(MemberEnrolled event) {
		accounts.open(event.memberId(), event.programId());
	}
}
