package io.fidelis.cards.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a program's cards look in both wallets: the names shown, colours, the barcode symbology a
 * program's tills can scan, and its images (PNG; null means Fidelis' own).
 */
public record CardDesign(String programId, String organizationName, String description, String logoText,
		String backgroundColor, String foregroundColor, String labelColor, BarcodeFormat barcodeFormat, byte[] logo,
		byte[] icon, byte[] strip, CardBack back, List<CardLanguage> languages, byte[] squareLogo) {

	public enum BarcodeFormat {
		QR, CODE128, PDF417, AZTEC
	}

	static final int MAX_IMAGE = 512 * 1024;
	private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	public CardDesign {
		Objects.requireNonNull(programId, "programId");
		organizationName = text("organizationName", organizationName, 64);
		description = text("description", description, 128);
		logoText = logoText == null || logoText.isBlank() ? null : text("logoText", logoText, 32);
		backgroundColor = colour("backgroundColor", backgroundColor);
		foregroundColor = colour("foregroundColor", foregroundColor);
		labelColor = colour("labelColor", labelColor);
		Objects.requireNonNull(barcodeFormat, "barcodeFormat");
		png("logo", logo);
		png("icon", icon);
		png("strip", strip);
		png("squareLogo", squareLogo);
		if (squareLogo != null && (squareLogo.length < 24 || width(squareLogo) != height(squareLogo)
				|| width(squareLogo) < 100 || width(squareLogo) > 4096)) {
			throw new InvalidCard("squareLogo", "Google's logo must be square, 100 to 4096 pixels a side (660 x 660 is "
					+ "what Google asks for)");
		}
		back = back == null ? CardBack.NONE : back;
		languages = languages == null ? List.of() : List.copyOf(languages);
		if (languages.size() > 30
				|| languages.stream().map(CardLanguage::language).distinct().count() < languages.size()) {
			throw new InvalidCard("languages", "languages name each language once, at most 30 of them");
		}
	}

	/** A design whose Google logo is drawn from its logo. */
	public CardDesign(String programId, String organizationName, String description, String logoText,
			String backgroundColor, String foregroundColor, String labelColor, BarcodeFormat barcodeFormat, byte[] logo,
			byte[] icon, byte[] strip, CardBack back, List<CardLanguage> languages) {
		this(programId, organizationName, description, logoText, backgroundColor, foregroundColor, labelColor,
				barcodeFormat, logo, icon, strip, back, languages, null);
	}

	/** A design in Fidelis' own words. */
	public CardDesign(String programId, String organizationName, String description, String logoText,
			String backgroundColor, String foregroundColor, String labelColor, BarcodeFormat barcodeFormat, byte[] logo,
			byte[] icon, byte[] strip, CardBack back) {
		this(programId, organizationName, description, logoText, backgroundColor, foregroundColor, labelColor,
				barcodeFormat, logo, icon, strip, back, List.of());
	}

	/** The program's word for {@code key} in {@code language}, if it gave one. */
	public java.util.Optional<String> word(String language, String key) {
		return languages.stream().filter(l -> l.language().equals(language)).findFirst()
				.map(l -> l.words().get(key));
	}

	/** A design with nothing on the back but the member's own figures. */
	public CardDesign(String programId, String organizationName, String description, String logoText,
			String backgroundColor, String foregroundColor, String labelColor, BarcodeFormat barcodeFormat, byte[] logo,
			byte[] icon, byte[] strip) {
		this(programId, organizationName, description, logoText, backgroundColor, foregroundColor, labelColor,
				barcodeFormat, logo, icon, strip, CardBack.NONE, List.of());
	}

	/**
	 * What a program's cards look like until staff design them: the program's name as the
	 * organization and beside the logo (cut to what each field holds: a program's name may be 120
	 * characters).
	 */
	public static CardDesign standard(String programId, String programName) {
		String name = programName == null || programName.isBlank() ? programId : programName.strip();
		return new CardDesign(programId, clip(name, 64), clip(name, 128 - " loyalty card".length()) + " loyalty card",
				clip(name, 32), "#1F3A5F", "#FFFFFF", "#C9D6E8", BarcodeFormat.QR, null, null, null);
	}

	private static String clip(String text, int most) {
		return text.length() <= most ? text : text.substring(0, most - 1).strip() + "…";
	}

	public static BarcodeFormat barcodeFormat(String name) {
		try {
			return BarcodeFormat.valueOf(name.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException | NullPointerException e) {
			throw new InvalidCard("barcodeFormat", "'" + name + "' is not a barcode format: QR, CODE128, PDF417 or AZTEC");
		}
	}

	/** {@code #RRGGBB} as the {@code rgb(r, g, b)} that pass.json wants. */
	public static String rgb(String hex) {
		int value = Integer.parseInt(hex.substring(1), 16);
		return "rgb(" + (value >> 16 & 0xff) + ", " + (value >> 8 & 0xff) + ", " + (value & 0xff) + ")";
	}

	private static String text(String field, String value, int max) {
		if (value == null || value.isBlank() || value.strip().length() > max) {
			throw new InvalidCard(field, field + " must be 1 to " + max + " characters");
		}
		return value.strip();
	}

	private static String colour(String field, String value) {
		if (value == null || !value.matches("#[0-9A-Fa-f]{6}")) {
			throw new InvalidCard(field, field + " must be a colour such as #1F3A5F, not '" + value + "'");
		}
		return value.toUpperCase(Locale.ROOT);
	}

	private static void png(String field, byte[] image) {
		if (image == null) {
			return;
		}
		if (image.length > MAX_IMAGE || image.length < PNG.length
				|| !Arrays.equals(Arrays.copyOf(image, PNG.length), PNG)) {
			throw new InvalidCard(field, field + " must be a PNG image of at most " + MAX_IMAGE / 1024 + " KiB");
		}
	}

	/** A PNG's width and height, from its header (IHDR, the first chunk). */
	private static int width(byte[] png) {
		return java.nio.ByteBuffer.wrap(png, 16, 4).getInt();
	}

	private static int height(byte[] png) {
		return java.nio.ByteBuffer.wrap(png, 20, 4).getInt();
	}

	public static final Set<String> IMAGES = Set.of("logo", "icon", "strip");

	@Override
	public boolean equals(Object o) {
		return o instanceof CardDesign d && programId.equals(d.programId) && organizationName.equals(d.organizationName)
				&& description.equals(d.description) && Objects.equals(logoText, d.logoText)
				&& backgroundColor.equals(d.backgroundColor) && foregroundColor.equals(d.foregroundColor)
				&& labelColor.equals(d.labelColor) && barcodeFormat == d.barcodeFormat && Arrays.equals(logo, d.logo)
				&& Arrays.equals(icon, d.icon) && Arrays.equals(strip, d.strip) && back.equals(d.back) && languages.equals(d.languages)
				&& Arrays.equals(squareLogo, d.squareLogo);
	}

	@Override
	public int hashCode() {
		return Objects.hash(programId, organizationName, backgroundColor, barcodeFormat);
	}

	@Override
	public String toString() {
		return "CardDesign[" + programId + ", " + organizationName + ", " + barcodeFormat + "]";
	}
}
