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
}
