package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeName;
import graphql.parser.Parser;

/**
 * Every mutation takes one {@code input} and answers a {@code …Payload}, as Relay and Apollo
 * clients expect: a mutation can then gain an input field or an answer field without breaking a
 * client, and a client sends one variable per mutation.
 */
class MutationShapeTest {

	@Test
	void everyMutationTakesOneInputAndAnswersAPayload() throws IOException {
		StringBuilder schema = new StringBuilder();
		for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:graphql/**/*.graphqls")) {
			schema.append(file.getContentAsString(StandardCharsets.UTF_8)).append('\n');
		}
		List<String> misshapen = misshapen(Parser.parse(schema.toString()));
		assertThat(misshapen).as("mutations not shaped mutation(input: XInput!): XPayload!").isEmpty();
	}

	@Test
	void theCheckFindsEveryMisshapenMutation() {
		Document document = Parser.parse("""
				type Query { a: Int }
				type Mutation { good(input: GoodInput!): GoodPayload! }
				extend type Mutation {
				  bare(id: ID!): GoodPayload!
				  two(input: GoodInput!, extra: Int): GoodPayload!
				  optional(input: GoodInput): GoodPayload!
				  notAnInput(input: String!): GoodPayload!
				  entity(input: GoodInput!): Thing!
				  nullable(input: GoodInput!): GoodPayload
				  list(input: GoodInput!): [GoodPayload!]!
				}
				input GoodInput { a: Int }
				type GoodPayload { a: Int }
				type Thing { a: Int }
				""");
		assertThat(misshapen(document)).containsExactly("bare: takes (id)", "two: takes (input, extra)",
				"optional: takes an input that may be null", "notAnInput: takes String, not an input type",
				"entity: answers Thing", "nullable: answers a payload that may be null",
				"list: answers a list");
	}

	/** Each mutation that breaks the shape, with what is wrong. */
	static List<String> misshapen(Document document) {
		Set<String> inputTypes = new HashSet<>();
		document.getDefinitionsOfType(InputObjectTypeDefinition.class).forEach(t -> inputTypes.add(t.getName()));
		List<String> wrong = new ArrayList<>();
		for (ObjectTypeDefinition type : document.getDefinitionsOfType(ObjectTypeDefinition.class)) {
			if (!type.getName().equals("Mutation")) {
				continue;
			}
			for (FieldDefinition mutation : type.getFieldDefinitions()) {
				String name = mutation.getName();
				List<InputValueDefinition> arguments = mutation.getInputValueDefinitions();
				if (arguments.size() != 1 || !arguments.get(0).getName().equals("input")) {
					wrong.add(name + ": takes (" + String.join(", ", arguments.stream().map(InputValueDefinition::getName).toList()) + ")");
				}
				else if (!(arguments.get(0).getType() instanceof NonNullType required)) {
					wrong.add(name + ": takes an input that may be null");
				}
				else if (!(required.getType() instanceof TypeName input) || !inputTypes.contains(input.getName())) {
					wrong.add(name + ": takes " + nameOf(required.getType()) + ", not an input type");
				}
				if (!(mutation.getType() instanceof NonNullType answer)) {
					wrong.add(name + ": answers a payload that may be null");
				}
				else if (!(answer.getType() instanceof TypeName payload)) {
					wrong.add(name + ": answers a list");
				}
				else if (!payload.getName().endsWith("Payload")) {
					wrong.add(name + ": answers " + payload.getName());
				}
			}
		}
		return wrong;
	}

	private static String nameOf(graphql.language.Type<?> type) {
		return type instanceof TypeName named ? named.getName() : type.toString();
	}
}
