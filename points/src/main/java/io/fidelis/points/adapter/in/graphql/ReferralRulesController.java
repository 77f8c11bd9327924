package io.fidelis.points.adapter.in.graphql;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.points.application.PayingReferrals;
import io.fidelis.points.domain.ReferralRules;
import io.fidelis.points.domain.Refusal;

/** The {@code ReferralRules} type (what each side of a referral earns in a program) and the referral report. */
@Controller
class ReferralRulesController {

	private final PayingReferrals referrals;

	ReferralRulesController(PayingReferrals referrals) {
		this.referrals = referrals;
	}

	record SetReferralRulesInput(String programId, long referrerPoints, long refereePoints, Integer referrerCap,
			ReferralRules.CapPeriod capPeriod) {
	}

	record SetReferralRulesPayload(ReferralRules rules) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	ReferralRules referralRules(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return referrals.rules(caller, programId).orElse(null);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	PayingReferrals.Figures referralReport(@Argument String programId, @Argument java.time.LocalDate from,
			@Argument java.time.LocalDate to, @AuthenticationPrincipal Caller caller) {
		return referrals.figures(caller, programId, from, to).orElse(null);
	}

	/** Every referrer of the range, most first; the field gives the first {@code first}. */
	@org.springframework.graphql.data.method.annotation.SchemaMapping(typeName = "ReferralReport")
	java.util.List<PayingReferrals.Referrer> topReferrers(PayingReferrals.Figures report, @Argument Integer first) {
		int top = first == null ? 10 : first;
		if (top < 1 || top > 100) {
			throw new io.fidelis.points.domain.InvalidPoints("first", "first is 1 to 100");
		}
		return report.topReferrers().stream().limit(top).toList();
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetReferralRulesPayload setReferralRules(@Argument SetReferralRulesInput input, @AuthenticationPrincipal Caller caller) {
		ReferralRules changed = new ReferralRules(input.programId(), input.referrerPoints(), input.refereePoints(),
				input.referrerCap(), input.capPeriod());
		return new SetReferralRulesPayload(referrals.replace(caller, changed).orElseThrow(() -> new Refused(
				new Refusal(Refusal.Reason.NOT_FOUND, "There is no program '" + input.programId() + "'"))));
	}
}
