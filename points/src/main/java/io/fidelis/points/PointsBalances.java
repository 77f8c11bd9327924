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
	 * {@link #balanceOf} for many members at once (a settled batch's), by member; members without an
	 * account are left out.
	 */
	default java.util.Map<MemberId, Balance> balancesOf(java.util.Collection<MemberId> members, int expiringWithinDays) {
		java.util.Map<MemberId, Balance> found = new java.util.LinkedHashMap<>();
		members.forEach(m -> balanceOf(m, expiringWithinDays).ifPresent(b -> found.put(m, b)));
		return found;
	}

	/**
	 * @param expiringSoon points that expire within the days asked, {@code expiringFirst} the soonest
	 *        of their dates (null when none expire)
	 */
	record Balance(long available, long pending, long version, long expiringSoon, Instant expiringFirst) {
	}
}
