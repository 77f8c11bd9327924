package io.fidelis.bootstrap.graphql;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Field;
import graphql.language.Selection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every GraphQL operation timed by what it asked for: {@code fidelis_graphql_operations_seconds{field}}
 * with histogram buckets (so {@code histogram_quantile} gives p99 per operation), and every error
 * counted by its code: {@code fidelis_graphql_errors_total{field, code}}. {@code field} is the
 * operation's top field ({@code earnPoints}, {@code member}, ...), {@code (several)} when it asks
 * for more than one, and {@code (invalid)} when the document never ran (syntax, unknown fields):
 * the schema bounds the tags, whatever names clients give their operations. Seven buckets per
 * field, and no outcome on the timer, keep a scrape small (a histogram is a line per bucket and
 * series). The time is the engine's (parse, validate, execute), without HTTP and security.
 */
final class OperationMetrics implements Instrumentation {

	/** Buckets from 10 ms to 5 s: the goals (50 ms p99 for a till) and what an operator alerts on. */
	private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
			Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5) };

	private final MeterRegistry registry;
	/** By field: every request looks its timer up here instead of building its id again. */
	private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

	OperationMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	private static final class Operation implements InstrumentationState {
		final long started = System.nanoTime();
		volatile String field = "(invalid)";
	}

	@Override
	public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
		return CompletableFuture.completedFuture(new Operation());
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		if (state instanceof Operation operation) {
			List<Selection> top = parameters.getExecutionContext().getOperationDefinition().getSelectionSet().getSelections();
			operation.field = top.size() == 1 && top.get(0) instanceof Field field ? field.getName() : "(several)";
		}
		return SimpleInstrumentationContext.noOp();
	}

	@Override
	public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		if (state instanceof Operation operation) {
			String field = operation.field;
			timers.computeIfAbsent(field, k -> Timer.builder("fidelis.graphql.operations")
					.description("GraphQL operations by top field").tag("field", field)
					.serviceLevelObjectives(BUCKETS).register(registry))
					.record(System.nanoTime() - operation.started, java.util.concurrent.TimeUnit.NANOSECONDS);
			for (GraphQLError error : result.getErrors()) {
				Counter.builder("fidelis.graphql.errors").description("GraphQL errors by top field and code")
						.tag("field", operation.field).tag("code", code(error)).register(registry).increment();
			}
		}
		return CompletableFuture.completedFuture(result);
	}

	/** The error's code as the client will read it ({@link ErrorCodes} adds those still missing after this). */
	private static String code(GraphQLError error) {
		Object code = error.getExtensions() == null ? null : error.getExtensions().get("code");
		return code instanceof String named ? named : ErrorCodes.codeOf(error.getErrorType());
	}
}
