package io.fidelis.members.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.web.bind.annotation.ControllerAdvice;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.members.application.Refusal;
import io.fidelis.members.domain.InvalidInput;

/** Shapes this module's refusals as GraphQL errors with the shared, stable {@code extensions.code}. */
@ControllerAdvice(basePackageClasses = MembersErrors.class)
class MembersErrors {

	@GraphQlExceptionHandler
	GraphQLError invalid(InvalidInput e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field())).build();
	}

	@GraphQlExceptionHandler
	GraphQLError refused(Refusal.Refused e, DataFetchingEnvironment env) {
		return refused(e.refusal(), env);
	}

	private static GraphQLError refused(Refusal refusal, DataFetchingEnvironment env) {
		ErrorType type = switch (refusal.reason()) {
			case NOT_FOUND -> ErrorType.NOT_FOUND;
			case FORBIDDEN -> ErrorType.FORBIDDEN;
			case CONFLICT, IDEMPOTENCY_KEY_REUSED, CARD_BLOCKED -> ErrorType.BAD_REQUEST;
		};
		return GraphqlErrorBuilder.newError(env).errorType(type).message(refusal.message())
				.extensions(Map.of("code", refusal.reason().name())).build();
	}
}
