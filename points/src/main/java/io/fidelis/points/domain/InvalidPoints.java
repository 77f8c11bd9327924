package io.fidelis.points.domain;

/** Input that can never be accepted; the message says what to fix. */
public class InvalidPoints extends IllegalArgumentException {

	private final String field;

	public InvalidPoints(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
