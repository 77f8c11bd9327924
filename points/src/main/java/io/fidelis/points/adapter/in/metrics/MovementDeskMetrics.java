package io.fidelis.points.adapter.in.metrics;

import org.springframework.stereotype.Component;

import io.fidelis.points.application.MovementDesk;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How much the points desk gathers: batches taken, and requests answered in them rather than
 * alone. Their ratio is the mean batch; beside {@code fidelis_store_commands_total} it tells
 * whether earns arriving together share their store commands.
 */
@Component
class MovementDeskMetrics implements MeterBinder {

	private final MovementDesk desk;

	MovementDeskMetrics(MovementDesk desk) {
		this.desk = desk;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("fidelis.points.desk.batches", desk, d -> d.figures().batches())
				.description("Batches of points movements applied together").register(registry);
		FunctionCounter.builder("fidelis.points.desk.together", desk, d -> d.figures().together())
				.description("Points movements answered in a batch rather than alone").register(registry);
	}
}
