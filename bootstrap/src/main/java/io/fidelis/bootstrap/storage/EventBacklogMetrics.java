package io.fidelis.bootstrap.storage;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How far behind each module listener is on this node: its events not handled yet and how long
 * the oldest has waited. A count that keeps growing, or an age past a minute, names the listener
 * that cannot keep up (or fails: failed events are handed again every {@code fidelis.events.retry-every}).
 */
@Component
class EventBacklogMetrics implements MeterBinder {

	private final BatchedEventPublications publications;

	EventBacklogMetrics(BatchedEventPublications publications) {
		this.publications = publications;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		publications.eachListener(listener -> {
			Gauge.builder("fidelis.events.waiting", publications, p -> p.waiting(listener))
					.description("Module events published on this node that their listener has not finished")
					.tag("listener", listener).register(registry);
			Gauge.builder("fidelis.events.oldest", publications, p -> p.oldestSeconds(listener)).baseUnit("seconds")
					.description("How long the oldest of them has waited").tag("listener", listener).register(registry);
		});
	}
}
