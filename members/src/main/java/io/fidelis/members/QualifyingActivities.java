package io.fidelis.members;

import java.util.List;

/**
 * Qualifying activity of many members at once, as the points module settles it in batches: one
 * event, so tiers are handed a batch once instead of each activity on its own.
 */
public record QualifyingActivities(List<QualifyingActivity> activities) {

	public QualifyingActivities {
		activities = activities == null ? List.of() : List.copyOf(activities);
	}
}
