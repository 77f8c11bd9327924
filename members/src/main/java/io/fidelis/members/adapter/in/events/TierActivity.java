package io.fidelis.members.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.QualifyingActivity;
import io.fidelis.members.application.KeepingTiers;

/** Qualifying activity reported by the points module counts towards tiers, once per activity. */
@Component
class TierActivity {

	private final KeepingTiers tiers;

	TierActivity(KeepingTiers tiers) {
		this.tiers = tiers;
	}

	@ApplicationModuleListener
	void on(QualifyingActivity activity) {
		tiers.record(activity);
	}
}
