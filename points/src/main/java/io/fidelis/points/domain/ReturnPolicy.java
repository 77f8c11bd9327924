package io.fidelis.points.domain;

/** What a refund may take back of the points its purchase earned. */
public enum ReturnPolicy {
	/** Only points still pending (inside the return window); spendable points stay. */
	PENDING_ONLY,
	/** As much as the balance allows; the balance never goes below zero. */
	WITHIN_BALANCE,
	/** Everything; what the member already spent becomes a negative balance. */
	ALLOW_NEGATIVE
}
