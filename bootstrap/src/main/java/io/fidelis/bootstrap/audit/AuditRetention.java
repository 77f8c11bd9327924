package io.fidelis.bootstrap.audit;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the audit trail for {@code fidelis.audit.retention} (two years; 0 keeps it for ever) and
 * removes what is older every {@code fidelis.audit.sweep-every} (6 h). Every node may run it: a
 * removal made twice changes nothing.
 */
@Component
class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private final AuditTrail trail;
	private final Clock clock;
	private final Duration retention;

	AuditRetention(AuditTrail trail, Clock clock, @Value("${fidelis.audit.retention:730d}") Duration retention) {
		if (retention.isNegative()) {
			throw new IllegalArgumentException("fidelis.audit.retention is 0 (keep for ever) or a duration, not " + retention);
		}
		this.trail = trail;
		this.clock = clock;
		this.retention = retention;
	}

	@Scheduled(fixedDelayString = "${fidelis.audit.sweep-every:PT6H}", initialDelayString = "${fidelis.audit.sweep-initial-delay:PT5M}")
	void sweep() {
		if (retention.isZero()) {
			return;
		}
		long removed = trail.forgetBefore(clock.instant().minus(retention));
		if (removed > 0) {
			log.info("Removed {} audit entries older than {}", removed, retention);
		}
	}
}
