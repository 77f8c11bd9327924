package io.fidelis.points.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.ProgramDefined;
import io.fidelis.points.application.OpeningAccounts;
import io.fidelis.points.application.PayingReferrals;
import io.fidelis.points.application.PointsPrivacy;
import io.fidelis.points.application.SettingRules;

/** What points does when the members module speaks. */
@Component
class MemberEvents {

	private final OpeningAccounts accounts;
	private final SettingRules rules;
	private final PointsPrivacy privacy;
	private final io.fidelis.points.application.SpendingForOffers offers;
	private final PayingReferrals referrals;

	MemberEvents(OpeningAccounts accounts, SettingRules rules, PointsPrivacy privacy,
			io.fidelis.points.application.SpendingForOffers offers, PayingReferrals referrals) {
		this.offers = offers;
		this.referrals = referrals;
		this.accounts = accounts;
		this.rules = rules;
		this.privacy = privacy;
	}

	/** The member's free text goes; amounts stay for accounting. */
	@ApplicationModuleListener
	void on(MemberErased event) {
		privacy.erase(event.memberId());
	}

	/** Every program starts with default point rules; defining the same program again keeps its rules. */
	@ApplicationModuleListener
	void on(ProgramDefined event) {
		rules.programDefined(event);
	}

	/** An offer gave bonus points: earned once per award. */
	@ApplicationModuleListener
	void on(io.fidelis.points.OfferBonusAwarded event) {
		offers.award(event);
	}

	/** The account first, then a referral's bonuses, each paid once whatever the redeliveries. */
	@ApplicationModuleListener
	void on(MemberEnrolled event) {
		accounts.open(event.memberId(), event.programId());
		referrals.paid(event);
	}

	@ApplicationModuleListener
	void on(MembersEnrolled event) {
		accounts.openAll(event.members());
		event.members().forEach(referrals::paid);
	}
}
