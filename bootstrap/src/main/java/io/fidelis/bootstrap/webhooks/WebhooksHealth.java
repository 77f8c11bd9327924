package io.fidelis.bootstrap.webhooks;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Webhook deliveries as a health component ({@code webhooks}): DOWN when this node's senders fall
 * behind, that is when the last pass over due deliveries attempted one more than
 * {@code fidelis.webhooks.health-max-age} (5 minutes) after it was due, or when deliveries wait
 * and no pass could read them for that long. A receiver that keeps failing is not the node's
 * fault: its deliveries are retried on time, then parked DEAD (see the alert of that name).
 * Read from what the sender saw, so a probe costs no store read beyond a count.
 */
@Component("webhooksHealthIndicator") // named so that the component is "webhooks"
class WebhooksHealth extends AbstractHealthIndicator {

	private final WebhookSender sender;
	private final WebhookStore store;
	private final Clock clock;
	private final Duration maxAge;

	WebhooksHealth(WebhookSender sender, WebhookStore store, Clock clock,
			@Value("${fidelis.webhooks.health-max-age:PT5M}") Duration maxAge) {
		super("Webhooks health check failed");
		this.sender = sender;
		this.store = store;
		this.clock = clock;
		this.maxAge = maxAge;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		long pending = store.pendingCount();
		WebhookSender.Pass pass = sender.lastPass();
		boolean late = pass != null && pass.latest().compareTo(maxAge) > 0;
		boolean stalled = pass != null && pending > 0 && pass.endedAt().plus(maxAge).isBefore(clock.instant());
		(late || stalled ? builder.down() : builder.up()).withDetail("maxAgeSeconds", maxAge.toSeconds())
				.withDetail("pending", pending)
				.withDetail("lastPass", pass == null ? "none yet" : pass.endedAt().toString())
				.withDetail("latestAttemptLateSeconds", pass == null ? 0 : pass.latest().toSeconds());
	}
}
