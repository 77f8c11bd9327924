package io.fidelis.points.application;

import java.util.Optional;

import io.fidelis.points.domain.PointRules;

/** Each program's point rules. */
public interface RuleBook {

	Optional<PointRules> find(String programId);

	/** Stores the program's first rules; false when it has rules already. */
	boolean addIfAbsent(PointRules rules);

	void replace(PointRules rules);
}
