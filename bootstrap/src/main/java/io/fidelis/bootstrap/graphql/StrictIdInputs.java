package io.fidelis.bootstrap.graphql;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;

import graphql.GraphQLContext;
import graphql.Scalars;
import graphql.execution.values.InputInterceptor;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLScalarType;
import reactor.core.publisher.Mono;

/**
 * An {@code ID} given as a variable is a string or an integer, as the GraphQL specification says:
 * graphql-java turned anything else into its text ({@code [1]} became the id {@code "[1]"},
 * {@code true} the id {@code "true"}), so a client's mistake was looked up instead of refused.
 * A {@code String} variable is already strict. The check runs as graphql-java coerces each
 * variable (its input interceptor), and a refusal is a VALIDATION error naming the variable.
 */
final class StrictIdInputs implements WebGraphQlInterceptor, InputInterceptor {

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!request.getVariables().isEmpty()) {
			request.configureExecutionInput((input, builder) -> builder
					.graphQLContext(Map.<Object, Object>of(InputInterceptor.class, this)).build());
		}
		return chain.next(request);
	}

	@Override
	public Object intercept(Object value, GraphQLInputType type, GraphQLContext context, Locale locale) {
		if (type instanceof GraphQLScalarType scalar && scalar.getName().equals(Scalars.GraphQLID.getName())
				&& value != null && !(value instanceof String) && !isInteger(value)) {
			throw new CoercingParseValueException("An ID is a string or an integer, not " + kind(value));
		}
		return value;
	}

	private static boolean isInteger(Object value) {
		return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger
				|| value instanceof java.math.BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0;
	}

	private static String kind(Object value) {
		return value instanceof Boolean ? "a boolean" : value instanceof java.util.Collection ? "a list"
				: value instanceof Map ? "an object" : "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
	}
}
