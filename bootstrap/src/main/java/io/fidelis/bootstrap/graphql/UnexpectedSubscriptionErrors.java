package io.fidelis.bootstrap.graphql;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.SubscriptionExceptionResolverAdapter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;

/**
 * The same promise for subscription streams as {@link UnexpectedErrors}: a failure after the
 * stream started ends it with a coded error, never with the exception's text.
 */
final class UnexpectedSubscriptionErrors extends SubscriptionExceptionResolverAdapter {

	private static final Logger log = LoggerFactory.getLogger(UnexpectedSubscriptionErrors.class);

	@Override
	protected GraphQLError resolveToSingleError(Throwable e) {
		if (e instanceof AuthenticationCredentialsNotFoundException) {
			return GraphqlErrorBuilder.newError().errorType(ErrorType.UNAUTHORIZED).message("Unauthorized")
					.extensions(Map.of("code", "UNAUTHENTICATED")).build();
		}
		if (e instanceof AccessDeniedException) {
			return GraphqlErrorBuilder.newError().errorType(ErrorType.FORBIDDEN).message("Forbidden")
					.extensions(Map.of("code", "FORBIDDEN")).build();
		}
		String errorId = UUID.randomUUID().toString();
		log.error("Unexpected failure {} in a subscription", errorId, e);
		return GraphqlErrorBuilder.newError().errorType(ErrorType.INTERNAL_ERROR)
				.message("Something went wrong on our side; quote error id " + errorId)
				.extensions(Map.of("code", "INTERNAL", "errorId", errorId)).build();
	}
}
