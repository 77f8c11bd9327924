package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/**
 * With tracing off (the default), a request records no span, not even one that a caller's own
 * trace asks for (before, every request built, tagged and queued its spans for nobody).
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(TracingTest.KeptSpans.class)
class UntracedTest extends ApiTest {

	@Autowired
	InMemorySpanExporter spans;

	@Autowired
	SdkTracerProvider tracer;

	@Test
	void anEarnRecordsNoSpanEvenWhenTheCallersTraceAsksForOne(CapturedOutput output) {
		String traceId = HexFormat.of().formatHex(TracingTest.randomBytes(16));
		TracingTest.earnInTrace(this, "untraced", traceId, "00f067aa0ba902b7");

		// the request's observations end with its access line
		await("the request's access line").atMost(Duration.ofSeconds(20))
				.until(() -> output.getOut().lines().anyMatch(l -> l.contains("earnPoints by CLIENT")));
		// whatever a span processor still holds goes to the exporter now
		assertThat(tracer.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(spans.getFinishedSpanItems()).as("spans recorded with tracing off").isEmpty();

		// the same for any span, asked for by a sampled parent
		io.opentelemetry.api.trace.SpanContext sampledParent = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
				traceId, "00f067aa0ba902b7", io.opentelemetry.api.trace.TraceFlags.getSampled(),
				io.opentelemetry.api.trace.TraceState.getDefault());
		io.opentelemetry.api.trace.Span span = tracer.get("untraced-test").spanBuilder("work")
				.setParent(io.opentelemetry.context.Context.root()
						.with(io.opentelemetry.api.trace.Span.wrap(sampledParent)))
				.startSpan();
		assertThat(span.isRecording()).isFalse();
		assertThat(span.getSpanContext().getTraceId()).as("its trace id is kept for whoever passes it on").isEqualTo(traceId);
		span.end();
	}
}
