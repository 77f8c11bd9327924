package io.fidelis.cards.application;

/** An expected "no" from a use case, with the reason a client can act on and a message a person understands. */
public record Refusal(Reason reason, String message) {

	public enum Reason {
		NOT_FOUND, FORBIDDEN, CONFLICT
	}
}
