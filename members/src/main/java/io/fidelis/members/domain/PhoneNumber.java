package io.fidelis.members.domain;

import java.util.regex.Pattern;

/** A phone number in E.164 form (+ and up to 15 digits), so that one number has one spelling. */
public record PhoneNumber(String value) {

	private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

	public PhoneNumber {
		value = InvalidInput.requireText("phone", value, 32).replaceAll("[\\s().-]", "");
		if (!E164.matcher(value).matches()) {
			throw new InvalidInput("phone", "'" + value + "' is not a phone number in international form, e.g. +33612345678");
		}
	}
}
