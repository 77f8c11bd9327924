package io.fidelis.points.adapter.in.metrics;

import org.springframework.stereotype.Component;

import io.fidelis.points.application.PointsFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Points flowing, per program, entry type (EARNED, REDEEMED, ADJUSTED, REVERSED, EXPIRED,
 * ACTIVATED, TRANSFERRED_OUT, TRANSFERRED_IN) and channel: entries written by this node and the
 * points they moved. Summed over nodes they are the program's flow: each entry is written once.
 */
@Component
class PointsFiguresMetrics implements MeterBinder {

	private final PointsFigures figures;

	PointsFiguresMetrics(PointsFigures figures) {
		this.figures = figures;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		figures.eachFigure((key, figure) -> {
			FunctionCounter.builder("fidelis.points.movements", figure.movements(), java.util.concurrent.atomic.LongAdder::doubleValue)
					.description("Ledger entries written").tag("program", key.program()).tag("type", key.type())
					.tag("channel", key.channel()).register(registry);
			FunctionCounter.builder("fidelis.points.moved", figure.points(), java.util.concurrent.atomic.LongAdder::doubleValue)
					.description("Points moved by the entries written (each entry's delta, unsigned)").baseUnit("points")
					.tag("program", key.program()).tag("type", key.type()).tag("channel", key.channel()).register(registry);
		});
	}
}
