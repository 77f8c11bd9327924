package io.fidelis.reporting.domain;

/** A report request that cannot be answered as asked; {@code field} names the culprit. */
public class InvalidReport extends RuntimeException {

	private final String field;

	public InvalidReport(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}
}
