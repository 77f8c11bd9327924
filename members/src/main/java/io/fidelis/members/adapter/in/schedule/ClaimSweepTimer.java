package io.fidelis.members.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.members.application.ReleasingAbandonedClaims;

/** Once a minute (configurable), gives back the claims of enrollments that stopped long ago. */
@Component
class ClaimSweepTimer {

	private final ReleasingAbandonedClaims sweeping;

	ClaimSweepTimer(ReleasingAbandonedClaims sweeping) {
		this.sweeping = sweeping;
	}

	@Scheduled(fixedDelayString = "${fidelis.members.claim-sweep-interval:PT1M}",
			initialDelayString = "${fidelis.members.claim-sweep-initial-delay:PT30S}")
	void run() {
		sweeping.sweep();
	}
}
