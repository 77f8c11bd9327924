package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/** The depth limit holds exactly as graphql-java's, and a document that passed is not walked again. */
class LimitsPerDocumentTest {

	static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(
			"type Query { node: Node } type Node { name: String next: Node }"),
			RuntimeWiring.newRuntimeWiring().build());

	final AtomicInteger walks = new AtomicInteger();
	final GraphQL engine = GraphQL.newGraphQL(SCHEMA).preparsedDocumentProvider(new ParsedDocuments(1_000_000))
			.instrumentation(new ChainedInstrumentation(List.of(new LimitsPerDocument(new MaxQueryDepthInstrumentation(3) {
				@Override
				public InstrumentationContext<ExecutionResult> beginExecuteOperation(
						InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
					walks.incrementAndGet();
					return super.beginExecuteOperation(parameters, state);
				}
			})))).build();

	ExecutionResult run(String query, Map<String, Object> variables) {
		return engine.execute(ExecutionInput.newExecutionInput(query).variables(variables).build());
	}

	@Test
	void aDocumentThatPassedIsNotWalkedAgainAndOneTooDeepIsRefusedEveryTime() {
		String shallow = "{ node { next { name } } }";
		String deep = "{ node { next { next { name } } } }";
		for (int i = 0; i < 3; i++) {
			assertThat(run(shallow, Map.of()).getErrors()).isEmpty();
			assertThat(run(deep, Map.of()).getErrors()).extracting(e -> e.getMessage())
					.containsExactly("maximum query depth exceeded 4 > 3");
		}
		assertThat(walks).as("shallow once, deep three times").hasValue(4);
	}

	@Test
	void eachOperationOfADocumentIsCheckedOnItsOwn() {
		String both = "query Shallow { node { name } } query Deep { node { next { next { name } } } }";
		for (int i = 0; i < 2; i++) {
			assertThat(engine.execute(ExecutionInput.newExecutionInput(both).operationName("Shallow").build()).getErrors())
					.isEmpty();
			assertThat(engine.execute(ExecutionInput.newExecutionInput(both).operationName("Deep").build()).getErrors())
					.isNotEmpty();
		}
	}

	@Test
	void aDocumentWhoseDepthDependsOnItsVariablesIsCheckedOnEveryRequest() {
		String conditional = "query($deep: Boolean!) { node { next { next @include(if: $deep) { name } name } } }";
		assertThat(run(conditional, Map.of("deep", false)).getErrors()).isEmpty();
		assertThat(run(conditional, Map.of("deep", true)).getErrors()).isNotEmpty();
		assertThat(run(conditional, Map.of("deep", false)).getErrors()).isEmpty();
		assertThat(walks).hasValue(3);
	}
}
