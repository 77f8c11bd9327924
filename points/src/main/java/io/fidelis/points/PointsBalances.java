package io.fidelis.points;

import java.time.Instant;
import java.util.Optional;

import io.fidelis.members.MemberId;

/**
 * What other modules may read from the ledger synchronously: a member's balance as it stands now,
 * with the account version that orders it against the balances events carried.
 */
public interface PointsBalances {

	/** Empty until the member's account is opened. */
	Optional<Balance> balanceOf(MemberId member, int expiringWithinDays);

	/**
	 * @param expiringSoon points that expire within the days asked, {@code expiringFirst} the soonest
	 *        of their dates (null when none expire)
	 */
	record Balance(long available, long pending, long version, long expiringSoon, Instant expiringFirst) {
	}
}
