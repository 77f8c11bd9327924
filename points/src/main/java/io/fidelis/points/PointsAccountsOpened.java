package io.fidelis.points;

import java.util.List;

/** Members' points accounts opened together (for an import's batch of enrollments). */
public record PointsAccountsOpened(List<PointsAccountOpened> accounts) {

	public PointsAccountsOpened {
		accounts = List.copyOf(accounts);
	}
}
