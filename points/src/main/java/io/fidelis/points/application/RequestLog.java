package io.fidelis.points.application;

import java.util.Optional;

/**
 * Idempotency keys, scoped to the caller. A key is claimed before its request touches an
 * account, and keeps the request's fingerprint and, once known, its result.
 */
public interface RequestLog {

	/** Claims {@code key} for a request; returns the claim as held (ours, or an earlier one). */
	Claim claim(String key, String fingerprint, String memberId);

	void recordResult(String key, Result result);

	/** Records many keys' results at once (what a batch of settled entries came to). */
	void recordResults(java.util.Map<String, Result> results);

	Optional<Claim> find(String key);

	/**
	 * @param result   null until the request has been decided
	 * @param inserted this claim was made by the call that answered it: no copy of the request
	 *                 can have touched an account before, so there is no earlier outcome to look for
	 */
	record Claim(String key, String fingerprint, String memberId, Result result, boolean inserted) {
		public Claim(String key, String fingerprint, String memberId, Result result) {
			this(key, fingerprint, memberId, result, false);
		}
	}

	/**
	 * What a request came to: the ledger entry it wrote, or the refusal it met (a refused request
	 * answers the same refusal when retried with the same key).
	 */
	record Result(long sequence, String refusalReason, String refusalMessage) {
		public boolean refused() {
			return refusalReason != null;
		}
	}
}
