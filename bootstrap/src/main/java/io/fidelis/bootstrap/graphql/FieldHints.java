package io.fidelis.bootstrap.graphql;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedSchemaElement;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;

/**
 * graphql-java's messages for a field that does not exist, made into something a developer acts
 * on: the fields the type has, and the closest one. A literal input object is no longer dumped as
 * graphql-java's parse tree ({@code ObjectValue{objectFields=[…]}}).
 */
final class FieldHints {

	/** An unknown field in a literal input object: "argument 'input' with value 'ObjectValue{…}' contains a field not in 'T': 'f'". */
	private static final Pattern LITERAL = Pattern.compile("(?s)(.*?) with value '.*' (contains a field not in '(\\w+)': '(\\w+)')$");
	/** The same in variables: "…contains a field name 'f' that is not defined for input object type 'T'". */
	private static final Pattern VARIABLE = Pattern.compile("contains a field name '(\\w+)' that is not defined for input object type '(\\w+)'");
	/** An unknown output field: "Field 'f' in type 'T' is undefined". */
	private static final Pattern OUTPUT = Pattern.compile("Field '(\\w+)' in type '(\\w+)' is undefined");
	private static final int LISTED = 40;

	private final Supplier<GraphQLSchema> schema;

	FieldHints(Supplier<GraphQLSchema> schema) {
		this.schema = schema;
	}

	/** The message, with the type's fields and the closest to the one asked for; unchanged when it is not about a field. */
	String clarify(String message) {
		if (message == null) {
			return null;
		}
		Matcher literal = LITERAL.matcher(message);
		if (literal.find()) {
			return literal.group(1) + " " + literal.group(2) + hint(literal.group(3), literal.group(4));
		}
		Matcher variable = VARIABLE.matcher(message);
		if (variable.find()) {
			return message.strip() + hint(variable.group(2), variable.group(1));
		}
		Matcher output = OUTPUT.matcher(message);
		if (output.find()) {
			return message.strip() + hint(output.group(2), output.group(1));
		}
		return message;
	}

	private String hint(String typeName, String asked) {
		List<String> fields = fieldsOf(typeName);
		if (fields.isEmpty()) {
			return "";
		}
		String closest = fields.stream().min(Comparator.comparingInt(f -> distance(f.toLowerCase(), asked.toLowerCase()))).get();
		String mean = distance(closest.toLowerCase(), asked.toLowerCase()) <= Math.max(2, asked.length() / 3)
				? " Did you mean '" + closest + "'?" : "";
		String listed = String.join(", ", fields.subList(0, Math.min(LISTED, fields.size())))
				+ (fields.size() > LISTED ? ", …" : "");
		return "." + mean + " '" + typeName + "' has: " + listed;
	}

	private List<String> fieldsOf(String typeName) {
		GraphQLType type = Optional.ofNullable(schema.get()).map(s -> s.getType(typeName)).orElse(null);
		if (type instanceof GraphQLInputObjectType input) {
			return input.getFieldDefinitions().stream().map(GraphQLNamedSchemaElement::getName).toList();
		}
		if (type instanceof GraphQLFieldsContainer container) {
			return container.getFieldDefinitions().stream().map(GraphQLNamedSchemaElement::getName).toList();
		}
		return List.of();
	}

	/** Levenshtein distance: edits from one name to the other. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}
}
