package io.fidelis.members.adapter.in.graphql;

import io.fidelis.members.application.Refusal;

/** Carries a use case's refusal out of a controller to {@link MembersErrors}. */
final class Refused extends RuntimeException {

	private final Refusal refusal;

	Refused(Refusal refusal) {
		super(refusal.message(), null, false, false);
		this.refusal = refusal;
	}

	Refusal refusal() {
		return refusal;
	}
}
