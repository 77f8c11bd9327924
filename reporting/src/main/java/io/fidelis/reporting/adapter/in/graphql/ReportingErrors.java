package io.fidelis.reporting.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.web.bind.annotation.ControllerAdvice;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.domain.InvalidReport;

/** Shapes reporting's refusals as GraphQL errors with the shared codes. */
@ControllerAdvice(basePackageClasses = ReportingErrors.class)
class ReportingErrors {

	@GraphQlExceptionHandler
	GraphQLError invalid(InvalidReport e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field())).build();
	}

	@GraphQlExceptionHandler
	GraphQLError notAllowed(ReadingReports.NotAllowed e, DataFetchingEnvironment env) {
		ErrorType type = "NOT_FOUND".equals(e.code()) ? ErrorType.NOT_FOUND : ErrorType.FORBIDDEN;
		return GraphqlErrorBuilder.newError(env).errorType(type).message(e.getMessage())
				.extensions(Map.of("code", e.code())).build();
	}
}
