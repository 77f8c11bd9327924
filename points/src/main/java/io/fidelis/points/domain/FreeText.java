package io.fidelis.points.domain;

/**
 * What free text a caller may leave on the ledger (a redemption's or refund's reason, a receipt
 * number): bounded, because every history read carries it, and printable, because staff screens,
 * exports and webhooks show it. Refused: control characters (line breaks and tabs too), the
 * direction overrides that make text read backwards (U+202A–U+202E, U+2066–U+2069), and lone
 * surrogates.
 */
public final class FreeText {

	/** A reason's most characters. */
	public static final int REASON = 500;

	private FreeText() {
	}

	/** @return {@code text} unchanged; null stays null */
	public static String check(String field, String text, int max) {
		if (text == null) {
			return null;
		}
		if (text.length() > max) {
			throw new InvalidPoints(field, field + " is at most " + max + " characters");
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
				throw new InvalidPoints(field, field + " must not contain control or text-direction characters");
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new InvalidPoints(field, field + " holds a lone surrogate: it is not valid text");
			}
		}
		return text;
	}
}
