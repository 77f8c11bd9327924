package io.fidelis.cards.adapter.in.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

import io.fidelis.cards.CardPageLinks;
import io.fidelis.cards.application.DownloadLink;
import io.fidelis.cards.application.ManagingCards;
import io.fidelis.cards.domain.CardWords;
import io.fidelis.members.MemberId;

/**
 * The member's card page, behind a signed link that expires: what a program sends by e-mail or
 * SMS so that a member adds the card to a wallet from the phone, or shows its barcode at a till.
 * The link names the member (the card shown is the member's card at that moment) and is signed
 * apart from pass downloads, so neither link stands for the other.
 */
@RestController
class CardPages implements CardPageLinks {

	/** What the signature covers besides the member: a page link is not a pass download link. */
	private static final String PURPOSE = "page|";
	private static final String SECURITY_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
			+ "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private final DownloadLink links;
	private final ManagingCards cards;
	private final Clock clock;
	private final String publicUrl;
	private final Duration lifetime;

	CardPages(DownloadLink links, ManagingCards cards, Clock clock,
			@Value("${fidelis.cards.public-url:http://localhost:8080}") String publicUrl,
			@Value("${fidelis.cards.page-link-lifetime:30d}") Duration lifetime) {
		if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofDays(400)) > 0) {
			throw new IllegalArgumentException("fidelis.cards.page-link-lifetime is between 1m and 400d, not " + lifetime);
		}
		this.links = links;
		this.cards = cards;
		this.clock = clock;
		this.publicUrl = publicUrl.replaceAll("/+$", "");
		this.lifetime = lifetime;
	}

	@Override
	public CardPageLink linkFor(MemberId member) {
		return linkFor(member, clock.instant());
	}

	@Override
	public CardPageLink linkFor(MemberId member, Instant from) {
		Instant expires = from.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
		return new CardPageLink(publicUrl + "/cards/page/" + UriUtils.encodePathSegment(member.value(), "UTF-8")
				+ "?expires=" + expires.getEpochSecond() + "&signature=" + links.signature(PURPOSE + member.value(), expires),
				expires);
	}

	@GetMapping("/cards/page/{member}")
	ResponseEntity<String> page(@PathVariable String member, @RequestParam(required = false) Long expires,
			@RequestParam(required = false) String signature, @RequestParam(required = false) String lang,
			@RequestHeader(name = HttpHeaders.ACCEPT_LANGUAGE, required = false) String acceptLanguage) {
		if (expires == null || !links.valid(PURPOSE + member, expires, signature, clock.instant())) {
			String language = language(lang, acceptLanguage, CardWords.STANDARD);
			return html(HttpStatus.FORBIDDEN, CardPageHtml.refusal(language, "link_invalid"));
		}
		Optional<ManagingCards.Page> page;
		try {
			page = cards.page(new MemberId(member));
		}
		catch (IllegalArgumentException e) { // signed, so a member id of ours: erased since, or never valid
			page = Optional.empty();
		}
		if (page.isEmpty()) {
			return html(HttpStatus.NOT_FOUND, CardPageHtml.refusal(language(lang, acceptLanguage, CardWords.STANDARD), "no_card"));
		}
		String language = language(lang, acceptLanguage, List.copyOf(CardWords.languages(page.get().design())));
		return html(HttpStatus.OK, CardPageHtml.render(page.get(), language));
	}

	/** The language asked for ({@code lang}, then the browser's), among those the card speaks; English otherwise. */
	static String language(String asked, String acceptLanguage, List<String> spoken) {
		if (asked != null && spoken.contains(asked)) {
			return asked;
		}
		if (acceptLanguage != null && !acceptLanguage.isBlank()) {
			try {
				String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), spoken);
				if (tag != null) {
					return spoken.stream().filter(s -> s.equalsIgnoreCase(tag)).findFirst().orElse(tag);
				}
			}
			catch (IllegalArgumentException e) {
				// a malformed header counts as none
			}
		}
		return Set.copyOf(spoken).contains("en") ? "en" : spoken.get(0);
	}

	private static ResponseEntity<String> html(HttpStatus status, String body) {
		// the address holds the signature: never cached, indexed or sent on as a referrer
		return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
				.cacheControl(CacheControl.noStore()).header("Referrer-Policy", "no-referrer")
				.header("X-Robots-Tag", "noindex").header("Content-Security-Policy", SECURITY_POLICY)
				.header("X-Content-Type-Options", "nosniff").body(body);
	}
}
