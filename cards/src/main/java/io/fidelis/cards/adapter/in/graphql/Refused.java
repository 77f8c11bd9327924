package io.fidelis.cards.adapter.in.graphql;

import io.fidelis.cards.application.Refusal;

/** A use case's refusal on its way to the GraphQL error handler. */
class Refused extends RuntimeException {

	private final transient Refusal refusal;

	Refused(Refusal refusal) {
		super(refusal.message(), null, false, false);
		this.refusal = refusal;
	}

	Refusal refusal() {
		return refusal;
	}
}
