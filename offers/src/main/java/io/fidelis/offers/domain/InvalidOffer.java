package io.fidelis.offers.domain;

/** Input the offers module refuses, naming the field so that a client can point at it. */
public class InvalidOffer extends IllegalArgumentException {

	private final String field;

	public InvalidOffer(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
