package io.fidelis.points.adapter.in.schedule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.fidelis.points.application.ClockWork;

/** Runs the points clockwork every minute (configurable); the lease makes sure one node at a time does. */
@Component
class ClockworkTimer {

	private final ClockWork clockWork;

	ClockworkTimer(ClockWork clockWork) {
		this.clockWork = clockWork;
	}

	@Scheduled(fixedDelayString = "${fidelis.points.clockwork-interval:PT1M}", initialDelayString = "${fidelis.points.clockwork-initial-delay:PT10S}")
	void run() {
		clockWork.runDue();
	}

	/** Soon after start (a crash's leftovers), then now and then (an outage's). */
	@Scheduled(fixedDelayString = "${fidelis.points.leftovers-interval:PT10M}",
			initialDelayString = "${fidelis.points.leftovers-initial-delay:PT2S}")
	void settleLeftovers() {
		clockWork.settleLeftovers();
	}
}
