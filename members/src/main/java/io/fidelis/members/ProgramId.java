package io.fidelis.members;

/** A loyalty program's identity, chosen by the operator (e.g. {@code acme-rewards}). */
public record ProgramId(String value) {

	/** Compiled once: ids are made on every movement (String.matches compiled the pattern each time). */
	private static final java.util.regex.Pattern VALID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

	public ProgramId {
		if (value == null || !VALID.matcher(value).matches()) {
			throw new IllegalArgumentException(
					"A program id is 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit");
		}
	}

	@Override
	public String toString() {
		return value;
	}
}
