package io.fidelis.cards.domain;

/** Input the cards module refuses, naming the field so that a client can point at it. */
public class InvalidCard extends IllegalArgumentException {

	private final String field;

	public InvalidCard(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
