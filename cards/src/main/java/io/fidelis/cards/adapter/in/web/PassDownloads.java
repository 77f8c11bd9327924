package io.fidelis.cards.adapter.in.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fidelis.cards.application.ApplePasses;
import io.fidelis.cards.application.CardStore;
import io.fidelis.cards.application.Designs;
import io.fidelis.cards.application.PassLinks;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.application.DownloadLink;
import io.fidelis.cards.domain.WalletCard;

/**
 * Where "Add to Apple Wallet" points: a pass download behind a signed link that expires, so that
 * a link leaked from a log or a screenshot stops working. Also serves program logos: Apple's as
 * given, and the square one Google fetches for its loyalty classes.
 */
@RestController
class PassDownloads implements PassLinks {

	private final DownloadLink links;
	private final CardStore cards;
	private final ApplePasses passes;
	private final Designs designs;
	private final Clock clock;
	private final String publicUrl;
	/** Fidelis' own logo, for programs without theirs: read once. */
	private final byte[] standardLogo;
	private final SquareLogos squareLogos = new SquareLogos();

	PassDownloads(DownloadLink links, CardStore cards, ApplePasses passes, Designs designs, Clock clock,
			@Value("${fidelis.cards.public-url:http://localhost:8080}") String publicUrl) {
		this.links = links;
		this.cards = cards;
		this.passes = passes;
		this.designs = designs;
		this.clock = clock;
		this.publicUrl = publicUrl.replaceAll("/+$", "");
		try (var in = new ClassPathResource("cards/pass/logo@2x.png").getInputStream()) {
			this.standardLogo = in.readAllBytes();
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException("Missing cards/pass/logo@2x.png", e);
		}
	}

	@Override
	public String appleDownloadUrl(WalletCard card) {
		Instant expires = clock.instant().plus(DownloadLink.LIFETIME);
		return publicUrl + "/cards/passes/" + card.serialNumber() + ".pkpass?expires=" + expires.getEpochSecond()
				+ "&signature=" + links.signature(card.serialNumber(), expires);
	}

	@GetMapping("/cards/passes/{serial}.pkpass")
	ResponseEntity<?> download(@PathVariable String serial, @RequestParam(required = false) Long expires,
			@RequestParam(required = false) String signature) {
		if (expires == null || !links.valid(serial, expires, signature, clock.instant())) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("error", "FORBIDDEN", "message",
							"This download link is not valid or has expired; ask the app for a new one"));
		}
		Optional<WalletCard> card = cards.find(serial);
		if (card.isEmpty()) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("error", "NOT_FOUND", "message", "There is no such card"));
		}
		return ResponseEntity.ok().contentType(PassKitWebService.PKPASS)
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"loyalty-card.pkpass\"")
				.header(HttpHeaders.LAST_MODIFIED, PassKitWebService.format(card.get().updatedAt()))
				.cacheControl(CacheControl.noStore())
				.body(passes.write(card.get(), designs.of(card.get().programId()), designs.placesOf(card.get().programId())));
	}

	@GetMapping("/cards/images/{program}/logo.png")
	ResponseEntity<byte[]> logo(@PathVariable String program) {
		CardDesign design = designs.of(program);
		byte[] logo = design.logo() != null ? design.logo() : standardLogo;
		return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
				.cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1))).body(logo);
	}

	/**
	 * Google's program logo: square, the program's own when it gave one, otherwise drawn from the
	 * program's logo on its cards' background colour.
	 */
	@GetMapping("/cards/images/{program}/google-logo.png")
	ResponseEntity<byte[]> googleLogo(@PathVariable String program) {
		CardDesign design = designs.of(program);
		byte[] logo = design.logo() != null ? design.logo() : standardLogo;
		return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
				.cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)))
				.body(design.squareLogo() != null ? design.squareLogo()
						: squareLogos.square(logo, design.backgroundColor(), standardLogo));
	}
}
