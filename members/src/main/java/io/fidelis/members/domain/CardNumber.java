package io.fidelis.members.domain;

import java.util.random.RandomGenerator;

/**
 * The number printed on a member's loyalty card and carried by its barcode: 16 digits, the last a
 * Luhn check digit, so that a till catches a mistyped number before asking anyone.
 */
public record CardNumber(String value) {

	public CardNumber {
		value = InvalidInput.requireText("cardNumber", value, 32).replaceAll("[\\s-]", "");
		if (!value.matches("[0-9]{16}") || !luhnValid(value)) {
			throw new InvalidInput("cardNumber", "'" + value + "' is not a Fidelis card number (16 digits with a valid check digit)");
		}
	}

	/** A new random number; uniqueness within a program is the enrollment's claim to make. */
	public static CardNumber generate(RandomGenerator random) {
		return generate(DEFAULT_PREFIX, random);
	}

	/**
	 * What an erased member's card number reads: no program prefix starts with 0, so it was never
	 * issued and identifies nobody.
	 */
	public static final CardNumber ERASED = new CardNumber("0000000000000000");

	/** The prefix a program's cards start with when it names none. */
	public static final String DEFAULT_PREFIX = "7";

	/**
	 * A new random number that starts with the program's prefix (1 to 6 digits, so that a till can
	 * route a card to its program), then random digits, then the Luhn check digit.
	 */
	public static CardNumber generate(String prefix, RandomGenerator random) {
		StringBuilder digits = new StringBuilder(validPrefix(prefix));
		while (digits.length() < 15) {
			digits.append(random.nextInt(10));
		}
		return new CardNumber(digits.append(checkDigit(digits)).toString());
	}

	/** A program's card prefix: 1 to 6 digits, not starting with 0. */
	public static String validPrefix(String prefix) {
		if (prefix == null || !prefix.matches("[1-9][0-9]{0,5}")) {
			throw new InvalidInput("cardPrefix", "'" + prefix + "' is not a card prefix (1 to 6 digits, not starting with 0)");
		}
		return prefix;
	}

	static int checkDigit(CharSequence payload) {
		int sum = 0;
		boolean twice = true;
		for (int i = payload.length() - 1; i >= 0; i--) {
			int d = payload.charAt(i) - '0';
			if (twice) {
				d *= 2;
				if (d > 9) {
					d -= 9;
				}
			}
			sum += d;
			twice = !twice;
		}
		return (10 - sum % 10) % 10;
	}

	static boolean luhnValid(String number) {
		return checkDigit(number.substring(0, number.length() - 1)) == number.charAt(number.length() - 1) - '0';
	}
}
