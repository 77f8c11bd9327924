package io.fidelis.members.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.members.application.TierClockWork;

/** Runs the tier clockwork every few minutes (configurable); its lease keeps it to one node at a time. */
@Component
class TierTimer {

	private final TierClockWork clockWork;

	TierTimer(TierClockWork clockWork) {
		this.clockWork = clockWork;
	}

	@Scheduled(fixedDelayString = "${fidelis.members.tier-clockwork-interval:PT5M}", initialDelayString = "${fidelis.members.tier-clockwork-initial-delay:PT20S}")
	void run() {
		clockWork.runDue();
	}
}
