package io.fidelis.cards.application;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/**
 * Brings the wallets up to date: Apple gets an empty push on every phone registered for the pass
 * (the phone then fetches the latest pass), Google gets the object patched. Pending updates are
 * stored, leased one node at a time and deleted only once delivered, so they survive restarts;
 * each delivery sends the card as it is at that moment, so a wallet never gets an older version
 * after a newer one.
 */
@Service
public class DeliveringCards {

	private static final Logger log = LoggerFactory.getLogger(DeliveringCards.class);
	static final Duration LEASE = Duration.ofSeconds(60);
	public static final int BATCH = 50;

	private final CardStore cards;
	private final ApplePasses apple;
	private final PassPushes pushes;
	private final GoogleWallet google;
	private final Designs designs;
	private final WalletFigures figures;
	private final Clock clock;
	private final String node = UUID.randomUUID().toString();

	private final RollingOutDesigns rollouts;

	DeliveringCards(CardStore cards, ApplePasses apple, PassPushes pushes, GoogleWallet google, Designs designs,
			WalletFigures figures, Clock clock, RollingOutDesigns rollouts) {
		this.rollouts = rollouts;
		this.figures = figures;
		this.cards = cards;
		this.apple = apple;
		this.pushes = pushes;
		this.google = google;
		this.designs = designs;
		this.clock = clock;
	}

	/** Delivers what is due now; returns how many updates were delivered. */
	public int deliverDue() {
		int delivered = 0;
		List<CardStore.Due> due = cards.claimDue(node, clock.instant(), LEASE, BATCH);
		for (CardStore.Due item : due) {
			if (RollingOutDesigns.isStep(item.serialNumber())) {
				try {
					rollouts.run(item);
					cards.delivered(item);
					delivered++;
				}
				catch (RuntimeException e) {
					log.warn("A design rollout step ({}, {}) failed (attempt {}): {}", item.serialNumber(), item.wallet(),
							item.attempts() + 1, e.toString());
					cards.retryLater(item, clock.instant().plus(pause(item, e)), e.toString());
				}
				continue;
			}
			Optional<WalletCard> card = cards.find(item.serialNumber());
			if (card.isEmpty()) {
				cards.delivered(item);
				continue;
			}
			try {
				boolean ok = item.wallet() == CardStore.Wallet.APPLE ? pushApple(card.get()) : patchGoogle(card.get());
				if (ok) {
					cards.delivered(item);
					delivered++;
				}
				else {
					cards.retryLater(item, clock.instant().plus(backoff(item.attempts())), "push failed");
				}
			}
			catch (RuntimeException e) {
				figures.count(item.wallet(), "FAILED");
				log.warn("Updating {} in {} failed (attempt {}): {}", item.serialNumber(), item.wallet(),
						item.attempts() + 1, e.toString());
				cards.retryLater(item, clock.instant().plus(pause(item, e)), e.toString());
			}
		}
		return delivered;
	}

	/** The back-off, or longer when the wallet said when to come back (Google's Retry-After). */
	static Duration pause(CardStore.Due item, RuntimeException failure) {
		Duration backoff = backoff(item.attempts());
		if (!(failure instanceof GoogleWallet.Busy busy)) {
			return backoff;
		}
		Duration asked = busy.retryAfter().compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : busy.retryAfter();
		return asked.compareTo(backoff) > 0 ? asked : backoff;
	}

	/** 1 s, 2 s, 4 s … up to 10 minutes. */
	static Duration backoff(int attempts) {
		return Duration.ofSeconds(Math.min(600, 1L << Math.min(attempts, 10)));
	}

	private boolean pushApple(WalletCard card) {
		boolean allSent = true;
		for (CardStore.Registration registration : cards.registrationsOf(card.serialNumber())) {
			PassPushes.Result result = pushes.push(registration.pushToken(), apple.passTypeIdentifier());
			figures.count(CardStore.Wallet.APPLE, result.name());
			if (result == PassPushes.Result.GONE) {
				cards.unregister(registration.device(), registration.serialNumber());
			}
			allSent &= result != PassPushes.Result.FAILED;
		}
		return allSent;
	}

	private boolean patchGoogle(WalletCard card) {
		if (!google.updatesEnabled()) {
			return true; // no issuer configured: nothing to keep current
		}
		CardDesign design = designs.of(card.programId());
		google.update(card, design); // throws when Google could not be reached: counted FAILED by the caller
		figures.count(CardStore.Wallet.GOOGLE, "SENT");
		return true;
	}
}
