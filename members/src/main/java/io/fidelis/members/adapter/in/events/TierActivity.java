package io.fidelis.members.adapter.in.events;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.QualifyingActivities;
import io.fidelis.members.application.KeepingTiers;

/** Qualifying activity reported by the points module counts towards tiers, once per activity. */
@Component
class TierActivity {

	private final KeepingTiers tiers;

	TierActivity(KeepingTiers tiers) {
		this.tiers = tiers;
	}

	/** The points module settles in batches: a batch is one read and one write per member. */
	@ApplicationModuleListener
	void on(QualifyingActivities batch) {
		tiers.recordAll(batch.activities());
	}
}
