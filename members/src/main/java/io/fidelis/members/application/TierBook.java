package io.fidelis.members.application;

import java.util.Optional;

import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.TierPolicy;
import io.fidelis.members.domain.TierStanding;

/** Tier ladders per program and each member's standing, by exact keys. */
public interface TierBook {

	Optional<TierPolicy> policy(ProgramId program);

	void setPolicy(ProgramId program, TierPolicy policy);

	Optional<TierStanding> standing(String memberId);

	/** The standings of many members in one read, by member id; members without one are left out. */
	default java.util.Map<String, TierStanding> standings(java.util.Collection<String> memberIds) {
		java.util.Map<String, TierStanding> found = new java.util.HashMap<>();
		memberIds.forEach(id -> standing(id).ifPresent(s -> found.put(id, s)));
		return found;
	}

	/** Saves the standing if it is still at {@code expectedRevision} (0: not stored yet); false when another change came first. */
	boolean save(long expectedRevision, TierStanding standing);
}
