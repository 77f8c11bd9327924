package io.fidelis.bootstrap.storage;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Module events whose listener failed (the store was unreachable for a while, say) are handed to
 * their listeners again, without waiting for a restart. Listeners are idempotent, so handing
 * again one that is merely slow costs a little work and no double count.
 */
@Component
class StalledEvents {

	private static final Logger log = LoggerFactory.getLogger(StalledEvents.class);

	private final IncompleteEventPublications incomplete;
	private final Duration olderThan;

	StalledEvents(IncompleteEventPublications incomplete,
			@Value("${fidelis.events.retry-after:PT30S}") Duration olderThan) {
		this.incomplete = incomplete;
		this.olderThan = olderThan;
	}

	@Scheduled(fixedDelayString = "${fidelis.events.retry-every:PT15S}", initialDelayString = "${fidelis.events.retry-every:PT15S}")
	void retry() {
		try {
			incomplete.resubmitIncompletePublicationsOlderThan(olderThan);
		}
		catch (RuntimeException e) {
			log.warn("Could not hand stalled module events again (will retry): {}", e.toString());
		}
	}
}
