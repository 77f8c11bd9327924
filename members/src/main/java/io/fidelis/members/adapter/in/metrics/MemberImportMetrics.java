package io.fidelis.members.adapter.in.metrics;

import org.springframework.stereotype.Component;

import io.fidelis.members.application.MemberImportFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Members imports on this node: running now, and rows by outcome ({@code rate()} is rows per second). */
@Component
class MemberImportMetrics implements MeterBinder {

	private final MemberImportFigures figures;

	MemberImportMetrics(MemberImportFigures figures) {
		this.figures = figures;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("fidelis.imports.running", figures, MemberImportFigures::running).description("Imports running on this node")
				.tag("kind", "members").register(registry);
		for (String outcome : new String[] { "IMPORTED", "EXISTING", "FAILED" }) {
			FunctionCounter.builder("fidelis.imports.rows", figures, f -> f.rows(outcome))
					.description("Import rows done on this node: IMPORTED now, EXISTING before (a re-run), FAILED with an error")
					.tag("kind", "members").tag("outcome", outcome).register(registry);
		}
	}
}
