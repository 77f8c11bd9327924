package io.fidelis.points.adapter.out.tracing;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.fidelis.points.application.WorkTraces;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Origins are Micrometer observations: the request's, current when a change is written. With
 * tracing off ({@code management.tracing.export.enabled}) nothing is kept per change and the
 * work runs as it is.
 */
@Component
class ObservedWorkTraces implements WorkTraces {

	private final ObjectProvider<ObservationRegistry> registry;
	private final boolean tracing;

	ObservedWorkTraces(ObjectProvider<ObservationRegistry> registry,
			@Value("${management.tracing.export.enabled:false}") boolean tracing) {
		this.registry = registry;
		this.tracing = tracing;
	}

	@Override
	public Object current() {
		return tracing ? registry.getObject().getCurrentObservation() : null;
	}

	@Override
	public <T> T within(String name, List<Object> origins, Supplier<T> work) {
		if (!tracing) {
			return work.get();
		}
		List<Observation> from = origins.stream().filter(Objects::nonNull).map(Observation.class::cast).toList();
		Observation step = Observation.createNotStarted(name, registry.getObject())
				.highCardinalityKeyValue("fidelis.traces", Integer.toString(from.size()));
		if (!from.isEmpty()) {
			step.parentObservation(from.get(0));
		}
		return step.observe(work);
	}
}
