package io.fidelis.points.adapter.in.graphql;

import io.fidelis.points.domain.Refusal;

/** Carries a refusal out of a controller to {@link PointsErrors}. */
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
