package io.fidelis.bootstrap.graphql;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Document;
import graphql.validation.ValidationError;

/**
 * A depth or complexity limit (graphql-java's own) checked once per document and operation, not
 * on every request: the check walks the whole query, and a till sends the same few documents
 * all day ({@link ParsedDocuments} hands back the same parsed document for the same text).
 *
 * <p>An operation is remembered only once it passed, and only when the text has no
 * {@code @skip} or {@code @include}: those are the only way variables change which fields a
 * query selects, so without them the outcome is the same for every request. Anything else, and
 * every refusal, is checked again each time.
 *
 * <p>An operation that asks only the schema ({@code __schema}, {@code __type}, {@code __typename})
 * is not held to the limits: the standard introspection query that GraphiQL, code generators and
 * {@code graphql-inspector} send is 15 levels deep, and it reads no data. graphql-java's good-faith
 * check still refuses introspection that nests the same fields again and again.
 */
final class LimitsPerDocument implements Instrumentation {

	private final Instrumentation limit;
	/** Operations (by name, "" when anonymous) of a parsed document that passed; dropped with the document. */
	private final Cache<Document, Set<String>> passed = Caffeine.newBuilder().weakKeys().maximumSize(100_000).build();

	LimitsPerDocument(Instrumentation limit) {
		this.limit = limit;
	}

	@Override
	public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
		return limit.createStateAsync(parameters);
	}

	@Override
	public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
			InstrumentationState state) {
		return limit.beginValidation(parameters, state);
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		Document document = execution.getDocument();
		String operation = execution.getOperationDefinition().getName() == null ? ""
				: execution.getOperationDefinition().getName();
		Set<String> known = passed.getIfPresent(document);
		if (known != null && known.contains(operation) || asksOnlyTheSchema(execution.getOperationDefinition())) {
			return SimpleInstrumentationContext.noOp();
		}
		InstrumentationContext<ExecutionResult> checked = limit.beginExecuteOperation(parameters, state); // throws when over
		String text = execution.getExecutionInput().getQuery();
		if (text != null && !text.contains("@skip") && !text.contains("@include")) {
			passed.get(document, d -> ConcurrentHashMap.newKeySet()).add(operation);
		}
		return checked;
	}

	private static final Set<String> SCHEMA_FIELDS = Set.of("__schema", "__type", "__typename");

	/** Every field at the operation's top is one of the schema's own (no fragment, no data field). */
	private static boolean asksOnlyTheSchema(graphql.language.OperationDefinition operation) {
		var selections = operation.getSelectionSet().getSelections();
		return !selections.isEmpty() && selections.stream()
				.allMatch(s -> s instanceof graphql.language.Field f && SCHEMA_FIELDS.contains(f.getName()));
	}
}
