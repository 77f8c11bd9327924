package io.fidelis.cards.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CardValuesTest {

	static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };

	static CardDesign design(String background, byte[] logo) {
		return new CardDesign("acme", "Acme", "Acme loyalty card", null, background, "#FFFFFF", "#C0C0C0",
				CardDesign.BarcodeFormat.PDF417, logo, null, null);
	}

	@Test
	void designs_refuse_what_a_wallet_cannot_show() {
		assertThat(design("#1f3a5f", PNG).backgroundColor()).isEqualTo("#1F3A5F");
		assertThat(CardDesign.rgb("#1F3A5F")).isEqualTo("rgb(31, 58, 95)");
		assertThatThrownBy(() -> design("blue", null)).isInstanceOf(InvalidCard.class)
				.extracting(e -> ((InvalidCard) e).field()).isEqualTo("backgroundColor");
		assertThatThrownBy(() -> design("#1F3A5F", "GIF89a".getBytes())).isInstanceOf(InvalidCard.class)
				.hasMessageContaining("PNG");
		assertThatThrownBy(() -> design("#1F3A5F", new byte[CardDesign.MAX_IMAGE + 1])).isInstanceOf(InvalidCard.class);
		assertThatThrownBy(() -> new CardDesign("acme", " ", "d", null, "#000000", "#000000", "#000000",
				CardDesign.BarcodeFormat.QR, null, null, null)).isInstanceOf(InvalidCard.class)
				.extracting(e -> ((InvalidCard) e).field()).isEqualTo("organizationName");
		assertThat(CardDesign.barcodeFormat("code128")).isEqualTo(CardDesign.BarcodeFormat.CODE128);
		assertThatThrownBy(() -> CardDesign.barcodeFormat("EAN13")).isInstanceOf(InvalidCard.class);
	}

	/** The first bytes of a PNG of {@code width} × {@code height}: signature and header, as the design reads them. */
	static byte[] png(int width, int height) {
		java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(33);
		png.put(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' });
		png.putInt(width).putInt(height);
		return png.array();
	}

	static CardDesign withGoogleLogo(byte[] squareLogo) {
		return new CardDesign("acme", "Acme", "Acme loyalty card", null, "#000000", "#FFFFFF", "#C0C0C0",
				CardDesign.BarcodeFormat.QR, null, null, null, null, java.util.List.of(), squareLogo);
	}

	@Test
	void googles_logo_of_the_programs_own_is_a_square_png() {
		assertThat(withGoogleLogo(png(660, 660)).squareLogo()).hasSize(33);
		assertThat(withGoogleLogo(null).squareLogo()).isNull();
		for (byte[] bad : new byte[][] { png(660, 200), png(50, 50), png(5000, 5000), "GIF89a-not-a-png-at-all".getBytes(), PNG }) {
			assertThatThrownBy(() -> withGoogleLogo(bad)).isInstanceOf(InvalidCard.class)
					.extracting(e -> ((InvalidCard) e).field()).isEqualTo("squareLogo");
		}
		assertThat(withGoogleLogo(png(660, 660))).isNotEqualTo(withGoogleLogo(png(700, 700))).isEqualTo(withGoogleLogo(png(660, 660)));
	}

	@Test
	void the_standard_design_carries_the_programs_name_cut_to_each_field() {
		CardDesign acme = CardDesign.standard("acme", "Acme Rewards");
		assertThat(acme.organizationName()).isEqualTo("Acme Rewards");
		assertThat(acme.logoText()).isEqualTo("Acme Rewards");
		assertThat(acme.description()).isEqualTo("Acme Rewards loyalty card");
		String longest = "The Very Long Name of a Cooperative of Independent Fuel Stations and Their Friends in Four Regions"
				+ " of France and Belgium, Ltd.";
		CardDesign cut = CardDesign.standard("coop", longest);
		assertThat(cut.logoText()).hasSizeLessThanOrEqualTo(32).endsWith("…");
		assertThat(cut.organizationName()).hasSizeLessThanOrEqualTo(64).endsWith("…");
		assertThat(cut.description()).hasSizeLessThanOrEqualTo(128).endsWith("… loyalty card");
		assertThat(CardDesign.standard("acme", null).organizationName()).isEqualTo("acme");
	}

	@Test
	void a_card_s_back_takes_what_a_wallet_can_show_and_refuses_the_rest() {
		CardBack back = new CardBack("  Terms  ", "https://acme.example/rewards", "+33 (0)1 23-45.67.89", "About us", true,
				"acme://card/open", java.util.List.of(284882215L));
		assertThat(back.terms()).isEqualTo("Terms");
		assertThat(back.sharingProhibited()).isTrue();
		assertThat(new CardBack(" ", "", null, "", false, null, null)).isEqualTo(CardBack.NONE);
		java.util.Map<String, Runnable> refused = new java.util.LinkedHashMap<>();
		refused.put("website", () -> new CardBack(null, "http://acme.example", null, null, false, null, null));
		refused.put("website ", () -> new CardBack(null, "acme.example", null, null, false, null, null));
		refused.put("website  ", () -> new CardBack(null, "https://acme.example/" + "x".repeat(200), null, null, false, null, null));
		refused.put("phone", () -> new CardBack(null, null, "call us", null, false, null, null));
		refused.put("terms", () -> new CardBack("x".repeat(2_001), null, null, null, false, null, null));
		refused.put("about", () -> new CardBack(null, null, null, "x".repeat(1_001), false, null, null));
		refused.put("appLaunchUrl", () -> new CardBack(null, null, null, null, false, "acme://card", java.util.List.of()));
		refused.put("appLaunchUrl ", () -> new CardBack(null, null, null, null, false, "javascript:alert(1)",
				java.util.List.of(1L)));
		refused.put("appStoreIds", () -> new CardBack(null, null, null, null, false, null, java.util.List.of(0L)));
		refused.put("appStoreIds ", () -> new CardBack(null, null, null, null, false, null,
				java.util.stream.LongStream.rangeClosed(1, 11).boxed().toList()));
		refused.forEach((field, make) -> assertThatThrownBy(make::run).as(field).isInstanceOf(InvalidCard.class)
				.extracting(e -> ((InvalidCard) e).field()).isEqualTo(field.strip()));
	}

	@Test
	void a_program_s_words_are_checked_per_language() {
		CardLanguage miles = new CardLanguage(" pt-BR ", java.util.Map.of("balance", " Milhas ", "balance_changed",
				"Você tem %@ milhas."));
		assertThat(miles.language()).isEqualTo("pt-BR");
		assertThat(miles.words()).containsEntry("balance", "Milhas");
		java.util.Map<String, Runnable> refused = new java.util.LinkedHashMap<>();
		refused.put("language", () -> new CardLanguage("German", java.util.Map.of()));
		refused.put("words", () -> new CardLanguage("de", java.util.Map.of("colour", "Farbe")));
		refused.put("words ", () -> new CardLanguage("de", java.util.Map.of("balance_changed", "Neuer Stand")));
		refused.put("words  ", () -> new CardLanguage("de", java.util.Map.of("balance", "a\nb")));
		refused.put("words   ", () -> new CardLanguage("de", java.util.Map.of("balance", "x".repeat(121))));
		refused.put("languages", () -> new CardDesign("acme", "Acme", "Acme card", null, "#000000", "#FFFFFF", "#EEEEEE",
				CardDesign.BarcodeFormat.QR, null, null, null, CardBack.NONE,
				java.util.List.of(new CardLanguage("de", java.util.Map.of()), new CardLanguage("de", java.util.Map.of()))));
		refused.forEach((field, make) -> assertThatThrownBy(make::run).as(field).isInstanceOf(InvalidCard.class)
				.extracting(e -> ((InvalidCard) e).field()).isEqualTo(field.strip()));
	}
}
