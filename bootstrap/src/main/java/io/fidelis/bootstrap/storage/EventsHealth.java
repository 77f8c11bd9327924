package io.fidelis.bootstrap.storage;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Module events as a health component ({@code events}): DOWN when a listener's oldest event on
 * this node has waited longer than {@code fidelis.events.health-max-age} (5 minutes), with each
 * listener's backlog in the details (staff admins). Not part of liveness: a slow listener is no
 * reason to restart the node, it is a reason to look.
 */
@Component("eventsHealthIndicator") // named so that the component is "events"
class EventsHealth extends AbstractHealthIndicator {

	private final BatchedEventPublications publications;
	private final Duration maxAge;

	EventsHealth(BatchedEventPublications publications,
			@Value("${fidelis.events.health-max-age:PT5M}") Duration maxAge) {
		super("Module events health check failed");
		this.publications = publications;
		this.maxAge = maxAge;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Object> listeners = new TreeMap<>();
		boolean late = false;
		for (String listener : publications.listeners()) {
			int waiting = publications.waiting(listener);
			double oldest = publications.oldestSeconds(listener);
			if (waiting > 0) {
				listeners.put(listener, Map.of("waiting", waiting, "oldestSeconds", oldest));
			}
			late |= waiting > 0 && oldest > maxAge.toMillis() / 1000.0;
		}
		(late ? builder.down() : builder.up()).withDetail("maxAgeSeconds", maxAge.toSeconds())
				.withDetail("waiting", listeners);
	}
}
