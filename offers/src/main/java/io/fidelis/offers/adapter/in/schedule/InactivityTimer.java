package io.fidelis.offers.adapter.in.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.offers.application.OfferStore;
import io.fidelis.offers.application.RunningSchedules;

/** Looks for inactive members every few hours (configurable); running twice assigns nothing twice. */
@Component
class InactivityTimer {

	private static final Logger log = LoggerFactory.getLogger(InactivityTimer.class);

	private final RunningSchedules schedules;
	private final OfferStore store;

	InactivityTimer(RunningSchedules schedules, OfferStore store) {
		this.schedules = schedules;
		this.store = store;
	}

	@Scheduled(fixedDelayString = "${fidelis.offers.inactivity-every:PT6H}", initialDelayString = "${fidelis.offers.inactivity-initial-delay:PT5M}")
	void run() {
		try {
			schedules.everywhere(store.programsWithOffers(), java.time.Instant.now());
		}
		catch (RuntimeException e) {
			log.warn("The inactivity schedule could not run (will retry): {}", e.toString());
		}
	}
}
