package io.fidelis.cards.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.web.bind.annotation.ControllerAdvice;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.cards.domain.InvalidCard;

/** Shapes the cards module's refusals as GraphQL errors with the shared codes. */
@ControllerAdvice(basePackageClasses = CardsErrors.class)
class CardsErrors {

	@GraphQlExceptionHandler
	GraphQLError invalid(InvalidCard e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field())).build();
	}

	@GraphQlExceptionHandler
	GraphQLError refused(Refused e, DataFetchingEnvironment env) {
		ErrorType type = switch (e.refusal().reason()) {
			case NOT_FOUND -> ErrorType.NOT_FOUND;
			case FORBIDDEN -> ErrorType.FORBIDDEN;
			case CONFLICT -> ErrorType.BAD_REQUEST;
		};
		return GraphqlErrorBuilder.newError(env).errorType(type).message(e.getMessage())
				.extensions(Map.of("code", e.refusal().reason().name())).build();
	}
}
