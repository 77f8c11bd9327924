package io.fidelis.members.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.members.application.ImportingMembers;
import io.fidelis.members.application.ReleasingAbandonedClaims;

/** What every node looks after in the background, besides tier reviews ({@link TierTimer}). */
@Component
class HousekeepingTimers {

	private final ImportingMembers importing;
	private final ReleasingAbandonedClaims claims;

	HousekeepingTimers(ImportingMembers importing, ReleasingAbandonedClaims claims) {
		this.importing = importing;
		this.claims = claims;
	}

	/**
	 * Every 15 s (configurable): member imports whose node stopped go on here; the import's lease
	 * lets one node at a time run each.
	 */
	@Scheduled(fixedDelayString = "${fidelis.members.import-resume-interval:PT15S}",
			initialDelayString = "${fidelis.members.import-resume-initial-delay:PT10S}")
	void resumeImports() {
		importing.resumeInterrupted();
	}

	/** Once a minute (configurable): the claims of enrollments that stopped long ago are given back. */
	@Scheduled(fixedDelayString = "${fidelis.members.claim-sweep-interval:PT1M}",
			initialDelayString = "${fidelis.members.claim-sweep-initial-delay:PT30S}")
	void releaseAbandonedClaims() {
		claims.sweep();
	}
}
