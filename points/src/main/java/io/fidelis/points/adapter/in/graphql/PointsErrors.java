package io.fidelis.points.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.web.bind.annotation.ControllerAdvice;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.points.application.ProgramReach;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Refusal;

/** Shapes the points module's refusals as GraphQL errors with the shared codes. */
@ControllerAdvice(basePackageClasses = PointsErrors.class)
class PointsErrors {

	@GraphQlExceptionHandler
	GraphQLError invalid(InvalidPoints e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field())).build();
	}

	@GraphQlExceptionHandler
	GraphQLError refused(Refused e, DataFetchingEnvironment env) {
		return refused(e.refusal(), env);
	}

	@GraphQlExceptionHandler
	GraphQLError outOfReach(ProgramReach.OutOfReach e, DataFetchingEnvironment env) {
		return refused(e.refusal(), env);
	}

	private static GraphQLError refused(Refusal refusal, DataFetchingEnvironment env) {
		ErrorType type = switch (refusal.reason()) {
			case NOT_FOUND -> ErrorType.NOT_FOUND;
			case FORBIDDEN -> ErrorType.FORBIDDEN;
			default -> ErrorType.BAD_REQUEST;
		};
		return GraphqlErrorBuilder.newError(env).errorType(type).message(refusal.message())
				.extensions(Map.of("code", refusal.reason().name())).build();
	}
}
