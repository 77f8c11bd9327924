package io.fidelis.points.adapter.in.graphql;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.points.application.SettingRules;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.PointRules;
import io.fidelis.members.Caller;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.ReturnPolicy;

/** The {@code PointRules} type: reading and replacing a program's rules. */
@Controller
class RulesController {

	private final SettingRules rules;

	RulesController(SettingRules rules) {
		this.rules = rules;
	}

	record PointRulesInput(String programId, List<EarnRateInput> earnRates, Long minimumRedemption,
			Integer pendingDays, String expiry, Integer expiryMonths, ReturnPolicy returns, Boolean membersMayRedeem) {
	}

	record EarnRateView(String currency, String pointsPerUnit, String rounding) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	PointRules pointRules(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return rules.rules(caller, programId).orElse(null);
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetPointRulesPayload setPointRules(@Argument PointRulesInput input, @AuthenticationPrincipal Caller caller) {
		PointRules current = rules.rules(caller, input.programId()).orElseThrow(() -> new Refused(
				new Refusal(Refusal.Reason.NOT_FOUND, "There is no program '" + input.programId() + "'")));
		Map<String, EarnRate> rates = new TreeMap<>();
		for (EarnRateInput rate : input.earnRates()) {
			rates.put(rate.currency().getCurrencyCode(), new EarnRate(rate.pointsPerUnit(), rate.roundingOrDown()));
		}
		ExpiryPolicy expiry = switch (input.expiry() == null ? "NEVER" : input.expiry()) {
			case "ROLLING_MONTHS" -> new ExpiryPolicy.RollingMonths(months(input));
			case "PERIOD_END" -> new ExpiryPolicy.PeriodEnd(months(input));
			default -> new ExpiryPolicy.Never();
		};
		PointRules changed = new PointRules(current.programId(), current.timeZone(), rates,
				input.minimumRedemption() == null ? 1 : input.minimumRedemption(),
				input.pendingDays() == null ? 0 : input.pendingDays(), expiry,
				input.returns() == null ? ReturnPolicy.WITHIN_BALANCE : input.returns(),
				input.membersMayRedeem() == null || input.membersMayRedeem(), current.channels());
		return new SetPointRulesPayload(rules.replace(caller, changed).orElseThrow());
	}

	record SetPointRulesPayload(PointRules rules) {
	}

	private static int months(PointRulesInput input) {
		if (input.expiryMonths() == null) {
			throw new InvalidPoints("expiryMonths", "expiryMonths is needed for this kind of expiry");
		}
		return input.expiryMonths();
	}

	@SchemaMapping(typeName = "PointRules")
	String timeZone(PointRules r) {
		return r.timeZone().getId();
	}

	@SchemaMapping(typeName = "PointRules")
	List<EarnRateView> earnRates(PointRules r) {
		return r.earnRates().entrySet().stream().map(e -> new EarnRateView(e.getKey(),
				e.getValue().pointsPerUnit().toPlainString(), e.getValue().rounding().name())).toList();
	}

	@SchemaMapping(typeName = "PointRules")
	String expiry(PointRules r) {
		if (r.expiry() instanceof ExpiryPolicy.RollingMonths) {
			return "ROLLING_MONTHS";
		}
		return r.expiry() instanceof ExpiryPolicy.PeriodEnd ? "PERIOD_END" : "NEVER";
	}

	@SchemaMapping(typeName = "PointRules")
	Integer expiryMonths(PointRules r) {
		if (r.expiry() instanceof ExpiryPolicy.RollingMonths m) {
			return m.months();
		}
		return r.expiry() instanceof ExpiryPolicy.PeriodEnd p ? p.periodMonths() : null;
	}
}
