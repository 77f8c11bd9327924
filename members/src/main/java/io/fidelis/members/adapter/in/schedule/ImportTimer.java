package io.fidelis.members.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.members.application.ImportingMembers;

/**
 * Looks every 15 s (configurable) for member imports whose node stopped, and goes on with them;
 * the import's lease lets one node at a time run each.
 */
@Component
class ImportTimer {

	private final ImportingMembers importing;

	ImportTimer(ImportingMembers importing) {
		this.importing = importing;
	}

	@Scheduled(fixedDelayString = "${fidelis.members.import-resume-interval:PT15S}",
			initialDelayString = "${fidelis.members.import-resume-initial-delay:PT10S}")
	void run() {
		importing.resumeInterrupted();
	}
}
