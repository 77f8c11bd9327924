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
 *
 * <p>Each operation also writes an access line ({@code io.fidelis.access}): type, top field, caller
 * kind, a client's id, outcome code and time; as key-value pairs in structured (JSON) logs.
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

	/** One line per operation ({@code logging.level.io.fidelis.access=WARN} turns it off). */
	private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("io.fidelis.access");

	private static final class Operation implements InstrumentationState {
		final long started = System.nanoTime();
		volatile String field = "(invalid)";
		volatile String type = "";
		/** Who asked, as the access line says it: the kind, and a client's id (never a person's). */
		final String callerKind;
		final String client;

		Operation(Object principal) {
			this.callerKind = principal instanceof io.fidelis.members.Caller.Staff ? "STAFF"
					: principal instanceof io.fidelis.members.Caller.IntegrationClient ? "CLIENT"
							: principal instanceof io.fidelis.members.Caller.Member ? "MEMBER" : "ANONYMOUS";
			this.client = principal instanceof io.fidelis.members.Caller.IntegrationClient c ? c.clientId() : null;
		}
	}

	@Override
	public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
		// on the request's thread, where the security context is
		var authentication = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
		return CompletableFuture.completedFuture(new Operation(authentication == null ? null : authentication.getPrincipal()));
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		if (state instanceof Operation operation) {
			List<Selection> top = parameters.getExecutionContext().getOperationDefinition().getSelectionSet().getSelections();
			operation.field = top.size() == 1 && top.get(0) instanceof Field field ? field.getName() : "(several)";
			operation.type = parameters.getExecutionContext().getOperationDefinition().getOperation().name();
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
			if (ACCESS.isInfoEnabled()) {
				long millis = (System.nanoTime() - operation.started) / 1_000_000;
				String outcome = result.getErrors().isEmpty() ? "OK" : code(result.getErrors().get(0));
				// ids and codes only: no argument, variable or answer, which may name a person
				ACCESS.atInfo().addKeyValue("operation", field).addKeyValue("type", operation.type)
						.addKeyValue("caller", operation.callerKind).addKeyValue("client", operation.client)
						.addKeyValue("outcome", outcome).addKeyValue("ms", millis)
						.log("graphql {} {} by {}{}: {} in {} ms", operation.type.toLowerCase(java.util.Locale.ROOT), field,
								operation.callerKind, operation.client == null ? "" : " " + operation.client, outcome, millis);
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
