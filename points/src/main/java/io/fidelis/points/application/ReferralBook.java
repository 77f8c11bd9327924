package io.fidelis.points.application;

import java.util.Optional;

import io.fidelis.points.domain.ReferralRules;

/** Each program's referral rules. */
public interface ReferralBook {

	/** Empty while staff set none. */
	Optional<ReferralRules> find(String programId);

	void save(ReferralRules rules);
}
