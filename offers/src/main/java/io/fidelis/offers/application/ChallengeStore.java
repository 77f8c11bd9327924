package io.fidelis.offers.application;

import java.util.List;
import java.util.Optional;

import io.fidelis.offers.domain.Challenge;
import io.fidelis.offers.domain.ChallengeProgress;

/** Challenges by program, and each member's progress in them; exact keys only. */
public interface ChallengeStore {

	/** Adds the challenge, or replaces its definition. */
	void save(Challenge challenge);

	/** The program's challenges, by id. */
	List<Challenge> challenges(String programId);

	Optional<ChallengeProgress> progress(String memberId);

	/** Saves {@code progress} if the stored one is still at its revision (0: none stored yet). */
	boolean save(ChallengeProgress progress);

	/** Forgets the member's progress (an erasure: what they bought and where is personal data). */
	void forget(String memberId);
}
