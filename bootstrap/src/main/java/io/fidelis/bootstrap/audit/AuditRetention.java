package io.fidelis.bootstrap.audit;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the audit trail for {@code fidelis.audit.retention} (two years; 0 keeps it for ever): the
 * store removes older entries itself, through a TTL index on their time, so no node reads the
 * trail to find them (on the embedded store a range of ids was a read of every entry).
 */
@Component
class AuditRetention {

	AuditRetention(AuditTrail trail, @Value("${fidelis.audit.retention:730d}") Duration retention) {
		if (retention.isNegative()) {
			throw new IllegalArgumentException("fidelis.audit.retention is 0 (keep for ever) or a duration, not " + retention);
		}
		trail.keepFor(retention);
	}
}
