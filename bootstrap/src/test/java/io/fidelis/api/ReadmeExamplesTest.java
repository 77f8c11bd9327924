package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.execution.GraphQlSource;

import graphql.language.Document;
import graphql.parser.Parser;
import graphql.validation.ValidationError;
import graphql.validation.Validator;

/**
 * Every GraphQL example in the README parses and is valid against the schema Fidelis serves: a
 * field renamed or removed fails here, so the front door cannot drift from the API. (Ids in the
 * examples are placeholders such as {@code "m_…"}; what they find is the walkthrough's concern.)
 */
class ReadmeExamplesTest extends ApiTest {

	private static final Pattern BLOCK = Pattern.compile("```graphql\\n(.*?)```", Pattern.DOTALL);

	@Autowired
	GraphQlSource graphQl;

	@Test
	void everyGraphQlExampleInTheReadmeIsValidAgainstTheSchema() throws Exception {
		String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../README.md"));
		Matcher block = BLOCK.matcher(readme);
		List<String> failures = new ArrayList<>();
		int blocks = 0;
		while (block.find()) {
			blocks++;
			String text = block.group(1);
			try {
				Document document = Parser.parse(text);
				// a block lists operations sent one at a time: each is checked alone (with the block's fragments)
				List<graphql.language.Definition> fragments = document.getDefinitions().stream()
						.filter(d -> d instanceof graphql.language.FragmentDefinition).toList();
				for (var definition : document.getDefinitions()) {
					if (!(definition instanceof graphql.language.OperationDefinition operation)) {
						continue;
					}
					List<graphql.language.Definition> alone = new ArrayList<>(fragments);
					alone.add(0, operation);
					List<ValidationError> errors = new Validator().validateDocument(graphQl.schema(),
							Document.newDocument().definitions(alone).build(), java.util.Locale.ENGLISH);
					errors.forEach(e -> failures.add(e.getMessage() + "\n  in: "
							+ graphql.language.AstPrinter.printAstCompact(operation)));
				}
			}
			catch (RuntimeException e) {
				failures.add("does not parse: " + e.getMessage() + "\n  in: " + text.lines().findFirst().orElse(""));
			}
		}
		assertThat(blocks).as("GraphQL examples found in the README").isGreaterThanOrEqualTo(8);
		assertThat(failures).isEmpty();
	}
}
