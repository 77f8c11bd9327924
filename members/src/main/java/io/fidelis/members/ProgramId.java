package io.fidelis.members;

/** A loyalty program's identity, chosen by the operator (e.g. {@code acme-rewards}). */
public record ProgramId(String value) {

	public ProgramId {
		if (value == null || !value.matches("[a-z0-9][a-z0-9-]{1,62}")) {
			throw new IllegalArgumentException(
					"A program id is 2 to 63 lower-case letters, digits or dashes, starting with a letter or digit");
		}
	}

	@Override
	public String toString() {
		return value;
	}
}
