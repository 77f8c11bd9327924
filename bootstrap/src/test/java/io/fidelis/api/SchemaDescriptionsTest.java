package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import graphql.language.Definition;
import graphql.language.Description;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumTypeExtensionDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputObjectTypeExtensionDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.InterfaceTypeExtensionDefinition;
import graphql.language.NamedNode;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.ScalarTypeExtensionDefinition;
import graphql.language.UnionTypeDefinition;
import graphql.language.UnionTypeExtensionDefinition;
import graphql.parser.Parser;

/**
 * Every type, field, argument, input field and enum value of the schema carries a description
 * (a {@code "string"}, not a {@code #} comment): GraphiQL's docs, code generators and IDEs show
 * it to the front-end developer.
 */
class SchemaDescriptionsTest {

	/** Every module's schema file, and the root's: a new one must be found too. */
	private static final Set<String> FILES = Set.of("fidelis.graphqls", "members.graphqls", "points.graphqls",
			"purchases.graphqls", "cards.graphqls", "offers.graphqls", "reporting.graphqls");

	@Test
	void everyElementOfTheSchemaHasADescription() throws IOException {
		Map<String, List<String>> undescribed = undescribedByFile();
		assertThat(undescribed.keySet()).as("the schema files found").containsExactlyInAnyOrderElementsOf(FILES);
		undescribed.forEach((file, missing) -> assertThat(missing).as("undescribed in " + file).isEmpty());
	}

	@Test
	void theCheckFindsWhatLacksADescription() {
		Document document = Parser.parse("""
				"Described" type A { "ok" f(x: Int): Int  g("ok" y: Int): Int }
				enum E { "ok" ONE TWO }
				input I { "ok" a: Int b: Int }
				extend type Query { "ok" q: A  r: A }
				scalar S
				""");
		assertThat(undescribed(document)).containsExactly("A.f(x)", "A.g", "E", "E.TWO", "I", "I.b", "Query.r", "S");
	}

	private static Map<String, List<String>> undescribedByFile() throws IOException {
		Map<String, List<String>> byFile = new TreeMap<>();
		for (Resource schema : new PathMatchingResourcePatternResolver().getResources("classpath*:graphql/**/*.graphqls")) {
			byFile.put(schema.getFilename(),
					undescribed(Parser.parse(schema.getContentAsString(StandardCharsets.UTF_8))));
		}
		return byFile;
	}

	/** Each element without a description, as Type, Type.field, Type.field(argument) or Enum.VALUE. */
	static List<String> undescribed(Document document) {
		List<String> missing = new ArrayList<>();
		for (Definition<?> definition : document.getDefinitions()) {
			if (definition instanceof ObjectTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof ObjectTypeExtensionDefinition);
				type.getFieldDefinitions().forEach(field -> field(missing, type.getName(), field));
			}
			else if (definition instanceof InterfaceTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof InterfaceTypeExtensionDefinition);
				type.getFieldDefinitions().forEach(field -> field(missing, type.getName(), field));
			}
			else if (definition instanceof InputObjectTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof InputObjectTypeExtensionDefinition);
				type.getInputValueDefinitions().forEach(value -> {
					if (blank(value.getDescription())) {
						missing.add(type.getName() + "." + value.getName());
					}
				});
			}
			else if (definition instanceof EnumTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof EnumTypeExtensionDefinition);
				type.getEnumValueDefinitions().forEach(value -> {
					if (blank(value.getDescription())) {
						missing.add(type.getName() + "." + value.getName());
					}
				});
			}
			else if (definition instanceof UnionTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof UnionTypeExtensionDefinition);
			}
			else if (definition instanceof ScalarTypeDefinition type) {
				typeItself(missing, type, type.getDescription(), type instanceof ScalarTypeExtensionDefinition);
			}
		}
		return missing;
	}

	/** An extension ({@code extend type Query}) adds fields; the type it extends carries the description. */
	private static void typeItself(List<String> missing, NamedNode<?> type, Description description, boolean extension) {
		if (!extension && blank(description)) {
			missing.add(type.getName());
		}
	}

	private static void field(List<String> missing, String type, FieldDefinition field) {
		if (blank(field.getDescription())) {
			missing.add(type + "." + field.getName());
		}
		for (InputValueDefinition argument : field.getInputValueDefinitions()) {
			if (blank(argument.getDescription())) {
				missing.add(type + "." + field.getName() + "(" + argument.getName() + ")");
			}
		}
	}

	private static boolean blank(Description description) {
		return description == null || description.getContent().isBlank();
	}
}
