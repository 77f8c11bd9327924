package io.fidelis.points.domain;

/** An expected "no" from the ledger, with a reason a client can act on and a message a person understands. */
public record Refusal(Reason reason, String message) {

	public enum Reason {
		INSUFFICIENT_POINTS, NOT_FOUND, CONFLICT, VALIDATION, FORBIDDEN, IDEMPOTENCY_KEY_REUSED
	}
}
