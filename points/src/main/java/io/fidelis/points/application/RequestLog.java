package io.fidelis.points.application;

import java.util.List;
import java.util.Optional;

/**
 * Idempotency keys, scoped to the caller. A key is claimed before its request touches an
 * account and keeps the request's fingerprint and the account's version at the claim. What an
 * applied request came to is its entry in the member's ledger (the entry names the key), found
 * from that version on; only a refusal, which writes no entry, is recorded on the key.
 */
public interface RequestLog {

	/**
	 * Claims {@code key} for a request; returns the claim as held (ours, or an earlier one).
	 *
	 * @param from the version of the member's account read before claiming: an entry of this
	 *             request can only come after it (0 when not known)
	 */
	Claim claim(String key, String fingerprint, String memberId, long from);

	/**
	 * Claims many keys, each of another request, in one write where the store can; answers, claim
	 * by claim, whether this call made it (false: the key was held already, by a copy of the
	 * request or by another request, and the caller goes the way of {@link #claim} to find out).
	 *
	 * @param claims as given to {@link #claim}: key, fingerprint, member and version; result null
	 */
	default List<Boolean> claimAll(List<Claim> claims) {
		return claims.stream().map(c -> {
			Claim held = claim(c.key(), c.fingerprint(), c.memberId(), c.from());
			return held.inserted();
		}).toList();
	}

	/** Records that the request was refused, so that a retry with the key hears the same. */
	void recordRefusal(String key, Result refusal);

	Optional<Claim> find(String key);

	/**
	 * @param result   a refusal once decided; null otherwise (an applied request is told by its entry)
	 * @param from     the account's version when the key was claimed
	 * @param inserted this claim was made by the call that answered it: no copy of the request had
	 *                 touched the account at version {@code from}; a copy that finds the claim in place
	 *                 may still be applied after it, so the caller looks again once the account moved on
	 */
	record Claim(String key, String fingerprint, String memberId, Result result, long from, boolean inserted) {
	}

	/**
	 * What a request came to: the ledger entry it wrote, or the refusal it met (a refused request
	 * answers the same refusal when retried with the same key). Keys claimed before results were
	 * read from the ledger may hold the sequence of their entry.
	 */
	record Result(long sequence, String refusalReason, String refusalMessage) {
		public boolean refused() {
			return refusalReason != null;
		}
	}
}
