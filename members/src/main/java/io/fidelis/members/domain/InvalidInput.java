package io.fidelis.members.domain;

/** Input that can never be accepted, whatever the state: the message says what to fix. */
public class InvalidInput extends IllegalArgumentException {

	private final String field;

	public InvalidInput(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return field;
	}

	static String requireText(String field, String value, int maxLength) {
		if (value == null || value.isBlank()) {
			throw new InvalidInput(field, field + " must not be blank");
		}
		String trimmed = value.strip();
		if (trimmed.length() > maxLength) {
			throw new InvalidInput(field, field + " must be at most " + maxLength + " characters");
		}
		return trimmed;
	}
}
