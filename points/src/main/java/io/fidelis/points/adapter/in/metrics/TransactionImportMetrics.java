package io.fidelis.points.adapter.in.metrics;

import org.springframework.stereotype.Component;

import io.fidelis.points.application.TransactionImportFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Transactions imports on this node: running now, and rows by outcome ({@code rate()} is rows per second). */
@Component
class TransactionImportMetrics implements MeterBinder {

	private final TransactionImportFigures figures;

	TransactionImportMetrics(TransactionImportFigures figures) {
		this.figures = figures;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("fidelis.imports.running", figures, TransactionImportFigures::running).description("Imports running on this node")
				.tag("kind", "transactions").register(registry);
		for (String outcome : new String[] { "IMPORTED", "EXISTING", "FAILED" }) {
			FunctionCounter.builder("fidelis.imports.rows", figures, f -> f.rows(outcome))
					.description("Import rows done on this node: IMPORTED now, EXISTING before (a re-run), FAILED with an error")
					.tag("kind", "transactions").tag("outcome", outcome).register(registry);
		}
	}
}
