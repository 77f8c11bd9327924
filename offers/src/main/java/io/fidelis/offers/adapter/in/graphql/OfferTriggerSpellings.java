package io.fidelis.offers.adapter.in.graphql;

import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Component;

import graphql.schema.idl.RuntimeWiring;
import io.fidelis.offers.domain.Offer;

/**
 * {@code OfferTrigger} values as Java's {@link Offer.Trigger}: the deprecated spelling ENROLMENT,
 * which clients written before 2026-12-07 send, means ENROLLMENT. Answers name ENROLLMENT, the
 * first value the schema gives for it.
 */
@Component
class OfferTriggerSpellings implements RuntimeWiringConfigurer {

	@Override
	public void configure(RuntimeWiring.Builder wiring) {
		wiring.type("OfferTrigger", type -> type.enumValues(
				name -> name.equals("ENROLMENT") ? Offer.Trigger.ENROLLMENT : Offer.Trigger.valueOf(name)));
	}
}
