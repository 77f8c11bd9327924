package io.fidelis.bootstrap.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Mono;

/**
 * Gives every error in every response a stable {@code extensions.code}, whoever raised it:
 * a module's refusal (which sets its own), Spring Security, or graphql-java's own validation of
 * the document (syntax, unknown fields, wrong types, missing arguments, limits). An answer with an
 * {@code UNAVAILABLE} error (the store away) carries {@code Retry-After}, as a 429 or 503 does, so
 * that clients and proxies back off before retrying with the same idempotency key.
 */
final class ErrorCodes implements WebGraphQlInterceptor {

	static final String UNAVAILABLE = "UNAVAILABLE";

	private final FieldHints hints;

	ErrorCodes(FieldHints hints) {
		this.hints = hints;
	}
	/** A store failing over or reconnecting is back within seconds; fail-fast is 3 s. */
	static final String RETRY_AFTER_SECONDS = "2";

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).map(response -> {
			List<GraphQLError> errors = response.getExecutionResult().getErrors();
			if (errors.isEmpty()) {
				return response;
			}
			if (errors.stream().anyMatch(e -> hasCode(e) && UNAVAILABLE.equals(e.getExtensions().get("code")))) {
				response.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
			}
			if (errors.stream().allMatch(ErrorCodes::hasCode)) {
				return response;
			}
			return response.transform(builder -> builder.errors(errors.stream().map(this::withCode).toList()));
		});
	}

	private static boolean hasCode(GraphQLError error) {
		return error.getExtensions() != null && error.getExtensions().containsKey("code");
	}

	private GraphQLError withCode(GraphQLError error) {
		if (hasCode(error)) {
			return error;
		}
		Map<String, Object> extensions = new LinkedHashMap<>();
		if (error.getExtensions() != null) {
			extensions.putAll(error.getExtensions());
		}
		extensions.put("code", codeOf(error.getErrorType()));
		return GraphqlErrorBuilder.newError().message(hints.clarify(error.getMessage())).locations(error.getLocations())
				.path(error.getPath()).errorType(error.getErrorType()).extensions(extensions).build();
	}

	static String codeOf(ErrorClassification classification) {
		if (classification instanceof ErrorType type) {
			return switch (type) {
				case BAD_REQUEST -> "VALIDATION";
				case UNAUTHORIZED -> "UNAUTHENTICATED";
				case FORBIDDEN -> "FORBIDDEN";
				case NOT_FOUND -> "NOT_FOUND";
				case INTERNAL_ERROR -> "INTERNAL";
			};
		}
		if (classification instanceof graphql.ErrorType type) {
			return switch (type) {
				case InvalidSyntax, ValidationError, OperationNotSupported, ExecutionAborted -> "VALIDATION";
				case DataFetchingException, NullValueInNonNullableField -> "INTERNAL";
			};
		}
		// graphql-java's own refusals of a request (introspection switched off, or asked for in bad faith:
		// the same type's fields nested again and again) are the client's to fix
		String name = classification == null ? "" : classification.toString();
		return name.equals("ExecutionAborted") || name.equals("IntrospectionDisabled")
				|| name.equals("BadFaithIntrospection") ? "VALIDATION" : "INTERNAL";
	}
}
