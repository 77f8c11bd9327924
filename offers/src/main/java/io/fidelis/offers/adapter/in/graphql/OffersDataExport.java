package io.fidelis.offers.adapter.in.graphql;

import java.util.List;

import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.MemberDataExport;
import io.fidelis.offers.application.KeepingFacts;
import io.fidelis.offers.application.MemberOffers;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.MemberFacts;

/**
 * The offers module's sections of a member's data export: every offer given to them (with its
 * coupon code) and what Fidelis learned of their behaviour to choose offers. The members module
 * decided who may ask.
 */
@Controller
class OffersDataExport {

	private final MemberOffers offers;
	private final KeepingFacts facts;
	private final io.fidelis.offers.application.KeepingChallenges challenges;

	OffersDataExport(MemberOffers offers, KeepingFacts facts, io.fidelis.offers.application.KeepingChallenges challenges) {
		this.offers = offers;
		this.facts = facts;
		this.challenges = challenges;
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<OffersController.MemberChallengeView> challenges(MemberDataExport export) {
		return challenges.exportOf(export.memberId()).stream().map(OffersController.MemberChallengeView::of).toList();
	}

	@SchemaMapping(typeName = "MemberDataExport")
	List<Assignment> offers(MemberDataExport export) {
		return offers.offersOfFollowed(List.of(export.memberId().value())).getOrDefault(export.memberId().value(), List.of());
	}

	record DaySpend(String day, String amount) {
	}

	record DayVisits(String day, int visits) {
	}

	record OfferFacts(String tier, String region, java.time.Instant enrolledAt, boolean marketingConsent, long balance,
			java.time.Instant lastPurchaseAt, List<String> categories, List<String> stores, Integer birthMonth,
			List<DaySpend> dailySpend, List<DayVisits> dailyVisits) {
	}

	@SchemaMapping(typeName = "MemberDataExport")
	OfferFacts offerFacts(MemberDataExport export) {
		return facts.factsOf(export.memberId()).map(OffersDataExport::view).orElse(null);
	}

	private static OfferFacts view(MemberFacts f) {
		return new OfferFacts(f.tier(), f.region(), f.enrolledAt(), f.marketingConsent(), f.balance(), f.lastPurchaseAt(),
				List.copyOf(f.categories()), List.copyOf(f.stores()), f.birthMonth(),
				f.dailySpend().entrySet().stream().map(e -> new DaySpend(e.getKey().toString(), e.getValue().toPlainString()))
						.toList(),
				f.dailyVisits().entrySet().stream().map(e -> new DayVisits(e.getKey().toString(), e.getValue())).toList());
	}
}
