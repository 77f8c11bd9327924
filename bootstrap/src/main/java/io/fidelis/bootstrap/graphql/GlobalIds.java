package io.fidelis.bootstrap.graphql;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

import graphql.GraphqlErrorBuilder;

import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.DataFetchingEnvironmentImpl;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import reactor.core.publisher.Mono;

/**
 * {@code Query.node(id)}: any object by its global id. The id's prefix names the type, and the
 * type's own query answers (its rules, its refusals, its Java object), so that node(id) can never
 * show more than member(id), program(id), offer(id), memberOffer(id), webhook(id) or
 * webhookDelivery(id) would.
 */
final class GlobalIds implements RuntimeWiringConfigurer {

	/** Which query finds an id of each prefix; an id without an underscore is a program's. */
	private static final Map<String, String> QUERY_BY_PREFIX = Map.of("m_", "member", "off_", "offer", "asg_", "memberOffer",
			"wh_", "webhook", "whd_", "webhookDelivery");

	/** The GraphQL type of each Java class a type's own query answered with, for the interface's type resolution. */
	private final Map<Class<?>, String> typeOfClass = new ConcurrentHashMap<>();

	@Override
	public void configure(RuntimeWiring.Builder wiring) {
		wiring.type("Query", type -> type.dataFetcher("node", this::node));
		wiring.type("Node", type -> type.typeResolver(resolver()));
	}

	/** The query that finds this id, or null for an id of no known shape. */
	static String queryFor(String id) {
		if (id == null || id.isBlank()) {
			return null;
		}
		if (id.indexOf('_') < 0) {
			return "program";
		}
		return QUERY_BY_PREFIX.entrySet().stream().filter(e -> id.startsWith(e.getKey())).map(Map.Entry::getValue)
				.findFirst().orElse(null);
	}

	private Object node(DataFetchingEnvironment env) throws Exception {
		String id = env.getArgument("id");
		String query = queryFor(id);
		if (query == null) {
			return DataFetcherResult.newResult().error(GraphqlErrorBuilder.newError(env).errorType(ErrorType.NOT_FOUND)
					.message("There is nothing with the id '" + id + "': global ids start with m_, off_, asg_, wh_ or "
							+ "whd_, or are a program's id")
					.extensions(Map.of("code", "NOT_FOUND")).build()).build();
		}
		GraphQLObjectType root = env.getGraphQLSchema().getQueryType();
		GraphQLFieldDefinition field = root.getFieldDefinition(query);
		DataFetcher<?> own = env.getGraphQLSchema().getCodeRegistry()
				.getDataFetcher(FieldCoordinates.coordinates(root, field), field);
		String type = ((GraphQLObjectType) GraphQLTypeUtil.unwrapAll(field.getType())).getName();
		Object answer = own.get(DataFetchingEnvironmentImpl.newDataFetchingEnvironment(env)
				.arguments(Map.of("id", id)).fieldDefinition(field).fieldType(field.getType()).build());
		return noted(answer, type);
	}

	/** Notes the class of what the type's own query answered (also when it answers later). */
	private Object noted(Object answer, String type) {
		if (answer instanceof CompletionStage<?> later) {
			return later.thenApply(value -> noted(value, type));
		}
		if (answer instanceof Mono<?> later) {
			return later.map(value -> noted(value, type));
		}
		Object value = answer instanceof DataFetcherResult<?> result ? result.getData() : answer;
		if (value != null) {
			typeOfClass.putIfAbsent(value.getClass(), type);
		}
		return answer;
	}

	private TypeResolver resolver() {
		return env -> {
			String type = typeOfClass.get(env.getObject().getClass());
			return type == null ? null : env.getSchema().getObjectType(type);
		};
	}
}
