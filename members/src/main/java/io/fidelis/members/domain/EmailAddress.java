package io.fidelis.members.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** An email address, kept in lower case so that the same person is recognised however they type it. */
public record EmailAddress(String value) {

	// deliberately simple: one @, no spaces, a dot in the domain; the inbox itself proves the rest
	private static final Pattern SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	public EmailAddress {
		value = InvalidInput.requireText("email", value, 254).toLowerCase(Locale.ROOT);
		if (!SHAPE.matcher(value).matches()) {
			throw new InvalidInput("email", "'" + value + "' is not an email address");
		}
	}
}
