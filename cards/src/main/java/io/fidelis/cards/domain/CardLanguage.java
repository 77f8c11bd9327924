package io.fidelis.cards.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A program's own words on its cards in one language: an airline's "Miles" where Fidelis says
 * "Points", a "Statut" the program prefers, or a language Fidelis does not ship (German,
 * Spanish, ...). Words it does not give come from Fidelis' own for that language, or English.
 *
 * @param language an ISO 639-1 code, optionally with a region ({@code de}, {@code pt-BR})
 * @param words by key ({@link #KEYS}); a change message ({@code *_changed}) holds {@code %@},
 *        where the phone puts the new value
 */
public record CardLanguage(String language, Map<String, String> words) {

	/** The words a card shows, as its pass.strings names them. */
	public static final Set<String> KEYS = Set.of("balance", "balance_changed", "tier", "tier_changed", "no_tier",
			"member", "pending", "expiring", "expires_on", "card_number", "status", "voided", "suspended",
			"suspended_changed", "about", "website", "phone", "terms");

	public CardLanguage {
		if (language == null || !language.strip().matches("[a-z]{2}(-[A-Z]{2})?")) {
			throw new InvalidCard("language", "A card language is an ISO 639-1 code such as de or pt-BR, not '" + language + "'");
		}
		String code = language.strip();
		language = code;
		Map<String, String> checked = new LinkedHashMap<>();
		(words == null ? Map.<String, String>of() : words).forEach((key, text) -> {
			if (!KEYS.contains(key)) {
				throw new InvalidCard("words", "'" + key + "' is not a word a card shows");
			}
			if (text == null || text.isBlank() || text.strip().length() > 120 || text.chars().anyMatch(c -> c < 0x20)) {
				throw new InvalidCard("words", key + " in " + code + " must be 1 to 120 characters on one line");
			}
			String stripped = text.strip();
			if (key.endsWith("_changed") && stripped.split("%@", -1).length != 2) {
				throw new InvalidCard("words", key + " in " + code + " must hold %@ once, where the new value goes");
			}
			checked.put(key, stripped);
		});
		words = java.util.Collections.unmodifiableMap(checked);
	}
}
