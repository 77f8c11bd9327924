package io.fidelis.members.application;

/** An expected "no" from a use case, with the reason a client can act on and a message a person understands. */
public record Refusal(Reason reason, String message) {

	public enum Reason {
		NOT_FOUND, CONFLICT, FORBIDDEN, IDEMPOTENCY_KEY_REUSED,
		/** The card was reported lost, stolen or damaged and replaced: it no longer identifies anyone. */
		CARD_BLOCKED
	}

	static Refusal notFound(String message) {
		return new Refusal(Reason.NOT_FOUND, message);
	}

	static Refusal conflict(String message) {
		return new Refusal(Reason.CONFLICT, message);
	}

	static Refusal forbidden(String message) {
		return new Refusal(Reason.FORBIDDEN, message);
	}
}
