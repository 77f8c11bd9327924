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

	/** Saves the standing if it is still at {@code expectedRevision} (0: not stored yet); false when another change came first. */
	boolean save(long expectedRevision, TierStanding standing);
}
