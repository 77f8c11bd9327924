package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * With tracing on, one earn is one trace: its HTTP request, its GraphQL operation, its store
 * commands, the settling the relay does later on another thread, and the module listeners that
 * settling wakes (reporting and cards among them). The log lines of the request carry its trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(TracingTest.KeptSpans.class)
@TestPropertySource(properties = { "management.tracing.export.enabled=true",
		"management.opentelemetry.tracing.export.schedule-delay=50ms", "management.tracing.export.otlp.enabled=false" })
class TracingTest extends ApiTest {

	@TestConfiguration(proxyBeanMethods = false)
	static class KeptSpans {

		@Bean
		InMemorySpanExporter keptSpans() {
			return InMemorySpanExporter.create();
		}
	}

	@Autowired
	InMemorySpanExporter spans;

	@Test
	void anEarnIsOneTraceFromItsRequestToTheListenersItWakes(CapturedOutput output) {
		String traceId = HexFormat.of().formatHex(randomBytes(16));
		earnInTrace(this, "trace", traceId, HexFormat.of().formatHex(randomBytes(8)));

		await("the listeners' steps exported").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			List<String> listeners = trace(traceId).stream().filter(s -> s.getName().equals("fidelis.module.listener"))
					.map(s -> s.getAttributes().get(AttributeKey.stringKey("listener"))).toList();
			assertThat(listeners).anyMatch(l -> l.startsWith("reporting.")).anyMatch(l -> l.startsWith("cards."));
		});
		List<SpanData> trace = trace(traceId);
		assertThat(trace).as("the request itself").anyMatch(s -> s.getKind() == SpanKind.SERVER);
		assertThat(trace).as("its GraphQL operation").anyMatch(s -> s.getName().startsWith("graphql"));
		assertThat(trace).as("its store commands")
				.anyMatch(s -> "mongodb".equals(s.getAttributes().get(AttributeKey.stringKey("db.system"))));
		SpanData settling = trace.stream().filter(s -> s.getName().equals("fidelis.points.settlement")).findFirst()
				.orElseThrow(() -> new AssertionError("no settlement step in " + names(trace)));
		assertThat(trace).as("the listeners are steps of the settling that woke them")
				.filteredOn(s -> s.getName().equals("fidelis.module.listener"))
				.allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(settling.getSpanId()));
		assertThat(output.getOut().lines().filter(l -> l.contains("io.fidelis.access") || l.contains("earnPoints by CLIENT")))
				.as("the request's access line carries its trace id").anyMatch(l -> l.contains(traceId));
		assertThat(spans.getFinishedSpanItems()).as("polling starts no trace of its own, nor do its store commands")
				.noneMatch(s -> s.getName().startsWith("tasks.scheduled"))
				.noneMatch(s -> "mongodb".equals(s.getAttributes().get(AttributeKey.stringKey("db.system")))
						&& !s.getParentSpanContext().isValid());
	}

	private List<SpanData> trace(String traceId) {
		return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
	}

	private static List<String> names(List<SpanData> spans) {
		return spans.stream().map(SpanData::getName).toList();
	}

	/** Random bytes that are never all zeros, which W3C calls an invalid trace or span id. */
	/**
	 * Enrolls a member in a new program and earns 25 points for them with the caller's own trace,
	 * as a till with tracing of its own sends it (W3C {@code traceparent}, sampled).
	 */
	static void earnInTrace(ApiTest test, String programPrefix, String traceId, String parentSpanId) {
		String program = test.program(programPrefix + "-" + key().substring(0, 8));
		String member = test.graphQl(test.pos()).document(ENROLL)
				.variable("input", enrollment(program, key() + "@example.com", key())).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		test.http().post().uri("/graphql").header("Authorization", "Bearer " + test.pos())
				.header("traceparent", "00-" + traceId + "-" + parentSpanId + "-01").contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("query", PointsApiTest.EARN, "variables", Map.of("input", Map.of("memberId", member,
						"points", 25, "transactionId", "t-" + key(), "idempotencyKey", key(),
						"source", Map.of("channel", "IN_STORE")))))
				.exchange().expectStatus().isOk().expectBody().jsonPath("$.data.earnPoints.entry.delta").isEqualTo(25);
	}

	static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		ThreadLocalRandom.current().nextBytes(bytes);
		bytes[0] |= 1; // never all zeros, which W3C calls invalid
		return bytes;
	}
}
