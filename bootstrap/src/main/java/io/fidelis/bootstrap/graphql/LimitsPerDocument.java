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
		if (known != null && known.contains(operation)) {
			return SimpleInstrumentationContext.noOp();
		}
		InstrumentationContext<ExecutionResult> checked = limit.beginExecuteOperation(parameters, state); // throws when over
		String text = execution.getExecutionInput().getQuery();
		if (text != null && !text.contains("@skip") && !text.contains("@include")) {
			passed.get(document, d -> ConcurrentHashMap.newKeySet()).add(operation);
		}
		return checked;
	}
}
