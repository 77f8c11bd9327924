package io.fidelis.cards.adapter.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fidelis.cards.application.ManagingCards;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.CardLanguage;
import io.fidelis.cards.domain.WalletCard;

/**
 * The member's card page as a member sees it: figures, barcode and wallet buttons while the card
 * is active, a notice and nothing to scan or add once it is on hold or ended, in the language
 * asked for, with nothing of the member's taken as markup.
 */
class CardPageHtmlTest {

	static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
	static final ZoneId PARIS = ZoneId.of("Europe/Paris");
	static final CardDesign DESIGN = new CardDesign("acme", "Acme Coffee", "Acme loyalty card", "Acme", "#102030",
			"#FFFFFF", "#AABBCC", CardDesign.BarcodeFormat.QR, null, null, null, null,
			List.of(new CardLanguage("de", Map.of("balance", "Punkte", "tier", "Stufe"))));

	static WalletCard card() {
		return WalletCard.issue("s1", "m_ann", "acme", "7012345678901236", "Ann <b>Lee</b>", "Gold", "t".repeat(24), NOW)
				.withBalance(1250, 40, 3, 120, Instant.parse("2027-01-03T12:00:00Z"), NOW);
	}

	static ManagingCards.Page active(WalletCard card) {
		return new ManagingCards.Page(card, DESIGN, PARIS, "https://fidelis.example/cards/passes/s1.pkpass?x=1&y=2",
				"https://pay.google.com/gp/v/save/jwt");
	}

	@Test
	void an_active_card_shows_its_figures_its_barcode_and_both_wallet_buttons() {
		String html = CardPageHtml.render(active(card()), "en");

		assertThat(html).contains("<html lang=\"en\">", "Acme Coffee", "Your loyalty card", "id=\"balance\">1,250<",
				"id=\"pending\">40<", "id=\"tier\">Gold<", "id=\"card-number\">7012345678901236<",
				"Next points expire on January 3, 2027: 120", "Show this code at the till", "--bg:#102030",
				"/cards/images/acme/logo.png");
		assertThat(html).contains("<svg", "aria-label=\"7012345678901236\"");
		assertThat(html).contains("href=\"https://fidelis.example/cards/passes/s1.pkpass?x=1&amp;y=2\">Add to Apple Wallet<",
				"href=\"https://pay.google.com/gp/v/save/jwt\">Add to Google Wallet<");
		assertThat(html).as("the member's name is text, never markup").contains("Ann &lt;b&gt;Lee&lt;/b&gt;")
				.doesNotContain("<b>Lee");
		assertThat(html).doesNotContain("<script");
	}

	@Test
	void the_page_speaks_french_and_the_programs_own_words() {
		assertThat(CardPageHtml.render(active(card()), "fr")).contains("<html lang=\"fr\">", "Votre carte de fidélité",
				"id=\"balance\">1\u202f250<", "Ajouter à Apple Wallet", "Ajouter à Google Wallet", "Niveau");
		// German is the program's: its own words, Fidelis' English for the rest
		assertThat(CardPageHtml.render(active(card()), "de")).contains("<html lang=\"de\">", "Punkte", "Stufe",
				"Add to Apple Wallet");
	}

	@Test
	void a_suspended_card_has_nothing_to_scan_or_add_and_says_why() {
		WalletCard suspended = card().suspended(true, NOW);
		String html = CardPageHtml.render(new ManagingCards.Page(suspended, DESIGN, PARIS, null, null), "en");

		assertThat(html).contains("This card is on hold", "id=\"balance\">1,250<").doesNotContain("<svg", "id=\"apple\"",
				"id=\"google\"");
	}

	@Test
	void an_ended_card_only_says_it_is_no_longer_valid() {
		WalletCard ended = card().ended(WalletCard.CardStatus.REVOKED, "lost", NOW);
		String html = CardPageHtml.render(new ManagingCards.Page(ended, DESIGN, PARIS, null, null), "en");

		assertThat(html).contains("This card is no longer valid.").doesNotContain("<svg", "id=\"balance\"", "Wallet<");
	}

	@Test
	void a_refusal_page_tells_what_to_do_in_the_language_asked() {
		assertThat(CardPageHtml.refusal("en", "link_invalid")).contains("not valid or has expired. Ask for a new one.");
		assertThat(CardPageHtml.refusal("fr", "link_invalid")).contains("a expiré");
		assertThat(CardPageHtml.refusal("de", "no_card")).contains("There is no card here.");
	}

	@ParameterizedTest
	@EnumSource(CardDesign.BarcodeFormat.class)
	void every_barcode_format_of_the_pass_is_drawn(CardDesign.BarcodeFormat format) {
		String svg = CardPageHtml.barcode(format, "7012345678901236");

		assertThat(svg).startsWith("<svg").endsWith("</svg>").contains("<path d=\"M");
		assertThat(svg).contains(format == CardDesign.BarcodeFormat.CODE128 ? "class=\"linear\"" : "class=\"matrix\"");
	}

	@Test
	void the_language_is_the_one_asked_then_the_browsers_then_english() {
		List<String> spoken = List.of("en", "fr", "de");
		assertThat(CardPages.language("de", "fr-FR,fr;q=0.9", spoken)).isEqualTo("de");
		assertThat(CardPages.language(null, "fr-FR,fr;q=0.9,en;q=0.8", spoken)).isEqualTo("fr");
		assertThat(CardPages.language("it", "it-IT,de;q=0.5", spoken)).isEqualTo("de");
		assertThat(CardPages.language(null, "ja", spoken)).isEqualTo("en");
		assertThat(CardPages.language(null, ";;;not a header", spoken)).isEqualTo("en");
		assertThat(CardPages.language(null, null, spoken)).isEqualTo("en");
	}
}
