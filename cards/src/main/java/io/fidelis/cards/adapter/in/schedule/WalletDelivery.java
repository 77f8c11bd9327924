package io.fidelis.cards.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.cards.application.DeliveringCards;

/** Sends pending wallet updates twice a second, until none are due. */
@Component
class WalletDelivery {

	private final DeliveringCards delivering;

	WalletDelivery(DeliveringCards delivering) {
		this.delivering = delivering;
	}

	@Scheduled(fixedDelayString = "${fidelis.cards.delivery-interval:PT0.5S}", initialDelayString = "${fidelis.cards.delivery-initial-delay:PT2S}")
	void deliver() {
		try {
			while (delivering.deliverDue() == DeliveringCards.BATCH) {
				// a full batch: more may be waiting
			}
		}
		catch (RuntimeException e) {
			// the store is away: pending updates wait in it, and the next round picks them up
			if (System.currentTimeMillis() - lastWarning > 60_000) {
				lastWarning = System.currentTimeMillis();
				log.warn("Wallet updates could not be read (will retry): {}", e.toString());
			}
		}
	}

	private long lastWarning;
	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WalletDelivery.class);
}
