package io.fidelis.cards.application;

import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * A new design reaching the cards already on phones. Google's class is patched once: colours,
 * names and logo are the class's, which every object of the program shows. Apple has no class: the
 * program's cards are walked a page at a time, each card made a new version, so that the phones
 * registered for it are pushed, the changed-serials call names it and its pass is no longer
 * "not modified" (Google objects are patched too, for the barcode format is theirs).
 *
 * <p>The rollout is itself a pending wallet update, with a serial number of its own
 * ({@code design|<program>|<last serial done>}): stored, leased by one node at a time and retried
 * with back-off as any other, so it survives restarts; each page hands on to the next before it
 * ends, and a page done twice only makes its cards one version newer.
 *
 * <p>Pages follow each other no faster than {@code fidelis.cards.rollout-rate} cards per second
 * (100): the next page is due a page's worth of that time later, so that a program of 100,000
 * cards reaches every phone in about 17 minutes without a burst that APNs or Google's Wallet API
 * quota would refuse.
 */
@Service
public class RollingOutDesigns {

	static final String PREFIX = "design|";

	/** Cards per step ({@code fidelis.cards.rollout-page}, 500): one read and one write of this many. */
	private final int page;
	/** Between two pages: {@link #page} cards at {@code fidelis.cards.rollout-rate} per second. */
	private final java.time.Duration pace;

	private final CardStore cards;
	private final KeepingCards keeping;
	private final GoogleWallet google;
	private final Designs designs;
	private final java.time.Clock clock;

	RollingOutDesigns(CardStore cards, KeepingCards keeping, GoogleWallet google, Designs designs, java.time.Clock clock,
			@org.springframework.beans.factory.annotation.Value("${fidelis.cards.rollout-page:500}") int page,
			@org.springframework.beans.factory.annotation.Value("${fidelis.cards.rollout-rate:100}") int rate) {
		if (page < 1 || page > 5_000) {
			throw new IllegalArgumentException("fidelis.cards.rollout-page is 1 to 5000, not " + page);
		}
		if (rate < 1 || rate > 100_000) {
			throw new IllegalArgumentException("fidelis.cards.rollout-rate is 1 to 100000 cards per second, not " + rate);
		}
		this.page = page;
		this.pace = java.time.Duration.ofNanos(page * 1_000_000_000L / rate);
		this.cards = cards;
		this.keeping = keeping;
		this.google = google;
		this.designs = designs;
		this.clock = clock;
	}

	/** After a design was saved: its rollout is due, Google's class and Apple's walk. */
	public void start(String programId) {
		long tag = clock.millis();
		cards.due(step(programId, null), CardStore.Wallet.APPLE, tag);
		if (google.updatesEnabled()) {
			cards.due(step(programId, null), CardStore.Wallet.GOOGLE, tag);
		}
	}

	/** Whether a pending update is a rollout's step rather than a card's. */
	static boolean isStep(String serialNumber) {
		return serialNumber.startsWith(PREFIX);
	}

	static String step(String programId, String afterSerial) {
		return PREFIX + programId + "|" + (afterSerial == null ? "" : afterSerial);
	}

	/** Runs one step; throws when a wallet or the store could not be reached (retried later). */
	void run(CardStore.Due step) {
		String rest = step.serialNumber().substring(PREFIX.length());
		int bar = rest.indexOf('|');
		String programId = rest.substring(0, bar);
		String after = rest.substring(bar + 1);
		if (step.wallet() == CardStore.Wallet.GOOGLE) {
			google.updateClass(designs.of(programId));
			return;
		}
		Optional<String> next = keeping.redesign(programId, after.isEmpty() ? null : after, page);
		// handed on before this step is marked done: a crash in between repeats a page, never skips one
		next.ifPresent(last -> cards.due(step(programId, last), CardStore.Wallet.APPLE, step.tag(),
				clock.instant().plus(pace)));
	}
}
