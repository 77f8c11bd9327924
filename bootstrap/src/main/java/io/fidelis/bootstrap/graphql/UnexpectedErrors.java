package io.fidelis.bootstrap.graphql;

import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;

/**
 * The last resort: a failure nobody expected becomes {@code INTERNAL} with an id to find it in
 * the logs. The client never sees the exception's message or stack trace.
 */
final class UnexpectedErrors extends DataFetcherExceptionResolverAdapter implements Ordered {

	private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

	@Override
	protected GraphQLError resolveToSingleError(Throwable e, DataFetchingEnvironment env) {
		if (e instanceof AccessDeniedException || e instanceof AuthenticationException) {
			return null; // Spring GraphQL's security resolver tells UNAUTHENTICATED from FORBIDDEN
		}
		if (storeUnavailable(e)) {
			log.warn("Store unavailable in {}: {}", env.getExecutionStepInfo().getPath(), e.toString());
			return GraphqlErrorBuilder.newError(env).errorType(ErrorType.INTERNAL_ERROR)
					.message("The data store cannot be reached right now; nothing was changed by this call that was "
							+ "acknowledged. Retry shortly with the same idempotency key")
					.extensions(Map.of("code", "UNAVAILABLE")).build();
		}
		String errorId = UUID.randomUUID().toString();
		log.error("Unexpected failure {} in {}", errorId, env.getExecutionStepInfo().getPath(), e);
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.INTERNAL_ERROR)
				.message("Something went wrong on our side; quote error id " + errorId)
				.extensions(Map.of("code", "INTERNAL", "errorId", errorId)).build();
	}

	/**
	 * The store could not be reached or answered in time: a connection, selection or socket failure,
	 * also when a failed rollback took its place (Spring keeps it as the transaction failure's
	 * application exception) or it was added to another as suppressed.
	 */
	static boolean storeUnavailable(Throwable e) {
		return storeUnavailable(e, 0);
	}

	private static boolean storeUnavailable(Throwable e, int depth) {
		for (Throwable t = e; t != null && depth < 8; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof com.mongodb.MongoSocketException || t instanceof com.mongodb.MongoTimeoutException
					|| t instanceof com.mongodb.MongoNotPrimaryException
					|| t instanceof com.mongodb.MongoNodeIsRecoveringException
					|| t instanceof org.springframework.dao.DataAccessResourceFailureException) {
				return true;
			}
			if (t instanceof org.springframework.transaction.TransactionSystemException failed
					&& failed.getApplicationException() != null && storeUnavailable(failed.getApplicationException(), depth + 1)) {
				return true;
			}
			for (Throwable suppressed : t.getSuppressed()) {
				if (storeUnavailable(suppressed, depth + 1)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}
}
