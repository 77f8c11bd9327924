package io.fidelis.cards.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.WalletCard;

/**
 * Apple's PassKit web service, as use cases: a phone registers for a pass's updates, asks which of
 * its passes changed, and fetches the latest version. A pass is only ever served, and a phone only
 * registered, on the pass's own authentication token.
 */
@Service
public class ServingPasses {

	private static final Logger log = LoggerFactory.getLogger(ServingPasses.class);

	private final CardStore cards;
	private final ApplePasses passes;
	private final Designs designs;
	private final Clock clock;

	ServingPasses(CardStore cards, ApplePasses passes, Designs designs, Clock clock) {
		this.cards = cards;
		this.passes = passes;
		this.designs = designs;
		this.clock = clock;
	}

	public enum Answer {
		/** 201: registered now. */
		CREATED,
		/** 200. */
		OK,
		/** 204: no passes changed. */
		NO_CONTENT,
		/** 304. */
		NOT_MODIFIED,
		/** 401: wrong or missing token, or a serial this server never issued. */
		UNAUTHORIZED,
		/** 404: a pass type this server does not issue, or a registration that does not exist. */
		NOT_FOUND,
		/** 400: a malformed request. */
		BAD_REQUEST
	}

	public record Served(Answer answer, byte[] pass, Instant lastModified, String message) {
		static Served of(Answer answer, String message) {
			return new Served(answer, null, null, message);
		}
	}

	public record Updated(Answer answer, List<String> serialNumbers, String lastUpdated, String message) {
	}

	/** The device and push token must be sane: they are stored and later sent to APNs. */
	static boolean wellFormed(String device, String pushToken) {
		return device != null && device.matches("[A-Za-z0-9._-]{1,128}")
				&& (pushToken == null || pushToken.matches("[A-Za-z0-9]{1,200}"));
	}

	public Served register(String device, String passType, String serial, String authorization, String pushToken) {
		Optional<Served> refused = refuse(passType, serial, authorization);
		if (refused.isPresent()) {
			return refused.get();
		}
		if (!wellFormed(device, pushToken) || pushToken == null) {
			return Served.of(Answer.BAD_REQUEST, "A device library identifier and a hexadecimal pushToken are required");
		}
		CardStore.Registered registered = cards.register(device, serial, pushToken, clock.instant());
		// the pass the phone holds may be older than the card: a push makes it ask (304 if it is not)
		WalletCard card = cards.find(serial).orElseThrow();
		cards.due(serial, CardStore.Wallet.APPLE, card.updateTag());
		return Served.of(registered == CardStore.Registered.NEW ? Answer.CREATED : Answer.OK, null);
	}

	public Served unregister(String device, String passType, String serial, String authorization) {
		Optional<Served> refused = refuse(passType, serial, authorization);
		if (refused.isPresent()) {
			return refused.get();
		}
		if (!wellFormed(device, null)) {
			return Served.of(Answer.BAD_REQUEST, "Malformed device library identifier");
		}
		return cards.unregister(device, serial) ? Served.of(Answer.OK, null)
				: Served.of(Answer.NOT_FOUND, "This device is not registered for this pass");
	}

	/**
	 * The serial numbers of the device's passes changed after {@code since} (a tag this service
	 * handed out before; none: all of them). The tag handed back is never later than now, so a card
	 * whose tag ran ahead of the clock is asked about again rather than missed.
	 */
	public Updated updatedSince(String device, String passType, String since) {
		if (!passes.passTypeIdentifier().equals(passType)) {
			return new Updated(Answer.NOT_FOUND, List.of(), null, "This server issues no passes of type " + passType);
		}
		if (!wellFormed(device, null)) {
			return new Updated(Answer.BAD_REQUEST, List.of(), null, "Malformed device library identifier");
		}
		long after;
		try {
			after = since == null || since.isBlank() ? Long.MIN_VALUE : Long.parseLong(since);
		}
		catch (NumberFormatException e) {
			return new Updated(Answer.BAD_REQUEST, List.of(), null,
					"passesUpdatedSince must be a tag this service returned, not '" + since + "'");
		}
		List<String> changed = new ArrayList<>();
		long latest = Long.MIN_VALUE;
		for (String serial : cards.serialsOf(device)) {
			Optional<WalletCard> card = cards.find(serial);
			if (card.isPresent() && card.get().updateTag() > after) {
				changed.add(serial);
				latest = Math.max(latest, card.get().updateTag());
			}
		}
		if (changed.isEmpty()) {
			return new Updated(Answer.NO_CONTENT, List.of(), null, null);
		}
		// an erased member's pass is told once more, so that the phone fetches it without name or
		// number, and a pass a new one replaced so that it shows voided; then the device's
		// registration goes, and with it any later update
		for (String serial : changed) {
			if (cards.find(serial).map(c -> c.erased() || c.retired()).orElse(false)) {
				cards.unregister(device, serial);
			}
		}
		long tag = Math.min(latest, clock.millis());
		return new Updated(Answer.OK, changed.stream().sorted().toList(), Long.toString(tag), null);
	}

	/** The latest pass, unless the phone's copy ({@code ifModifiedSince}) is already it. */
	public Served latest(String passType, String serial, String authorization, Instant ifModifiedSince) {
		Optional<Served> refused = refuse(passType, serial, authorization);
		if (refused.isPresent()) {
			return refused.get();
		}
		WalletCard card = cards.find(serial).orElseThrow();
		// a date later than anything served can only be made up; it must not hide an update
		Instant latestServable = card.updatedAt().isAfter(clock.instant()) ? card.updatedAt() : clock.instant();
		if (ifModifiedSince != null && !ifModifiedSince.isAfter(latestServable) && card.notModifiedSince(ifModifiedSince)) {
			return new Served(Answer.NOT_MODIFIED, null, card.updatedAt(), null);
		}
		return new Served(Answer.OK, passes.write(card, designs.of(card.programId()), designs.placesOf(card.programId())), card.updatedAt(), null);
	}

	/** What phones report going wrong with our passes; kept in the server log, trimmed. */
	public void log(List<String> messages) {
		messages.stream().limit(100).forEach(m -> log.info("PassKit device log: {}",
				m == null ? "" : m.replaceAll("[\\r\\n\\t]", " ").substring(0, Math.min(m.length(), 1000))));
	}

	/** The pass must be ours and the caller must hold its token: "ApplePass <authenticationToken>". */
	private Optional<Served> refuse(String passType, String serial, String authorization) {
		if (!passes.passTypeIdentifier().equals(passType)) {
			return Optional.of(Served.of(Answer.NOT_FOUND, "This server issues no passes of type " + passType));
		}
		Optional<WalletCard> card = serial == null ? Optional.empty() : cards.find(serial);
		String presented = authorization != null && authorization.startsWith("ApplePass ")
				? authorization.substring("ApplePass ".length()).strip() : null;
		// an unknown serial gets the same answer as a wrong token: no probing for serial numbers
		if (card.isEmpty() || presented == null || !MessageDigest.isEqual(
				presented.getBytes(StandardCharsets.UTF_8), card.get().authenticationToken().getBytes(StandardCharsets.UTF_8))) {
			return Optional.of(Served.of(Answer.UNAUTHORIZED,
					"Authorization must be 'ApplePass <authenticationToken>' of an existing pass"));
		}
		return Optional.empty();
	}
}
