package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.parser.Parser;

/** A document is parsed and validated once per text and locale; the cache holds a bounded amount of text. */
class ParsedDocumentsTest {

	static final String BALANCE = "query($id: ID!) { member(id: $id) { points { available pending } } }";

	final AtomicInteger parsed = new AtomicInteger();
	final Function<ExecutionInput, PreparsedDocumentEntry> parse = input -> {
		parsed.incrementAndGet();
		if (input.getQuery().contains("broken")) {
			return new PreparsedDocumentEntry(GraphqlErrorBuilder.newError().message("broken").build());
		}
		return new PreparsedDocumentEntry(Parser.parse(input.getQuery()));
	};

	static ExecutionInput input(String query, Locale locale, Map<String, Object> variables) {
		return ExecutionInput.newExecutionInput(query).locale(locale).variables(variables).build();
	}

	@Test
	void the_same_text_with_other_variables_is_parsed_once() {
		ParsedDocuments documents = new ParsedDocuments(1_000_000);

		var first = documents.getDocumentAsync(input(BALANCE, Locale.ENGLISH, Map.of("id", "m_1")), parse).join();
		var second = documents.getDocumentAsync(input(BALANCE, Locale.ENGLISH, Map.of("id", "m_2")), parse).join();

		assertThat(parsed).hasValue(1);
		assertThat(second.getDocument()).isSameAs(first.getDocument());
		assertThat(documents.hits()).isEqualTo(1);
	}

	@Test
	void another_locale_or_text_is_parsed_on_its_own_and_errors_are_answered_again() {
		ParsedDocuments documents = new ParsedDocuments(1_000_000);

		documents.getDocumentAsync(input(BALANCE, Locale.ENGLISH, Map.of()), parse).join();
		documents.getDocumentAsync(input(BALANCE, Locale.FRENCH, Map.of()), parse).join();
		documents.getDocumentAsync(input("{ broken", Locale.ENGLISH, Map.of()), parse).join();
		var again = documents.getDocumentAsync(input("{ broken", Locale.ENGLISH, Map.of()), parse).join();

		assertThat(parsed).hasValue(3);
		assertThat(again.hasErrors()).isTrue();
		assertThat(again.getErrors()).extracting(e -> e.getMessage()).containsExactly("broken");
	}

	@Test
	void the_text_held_stays_within_its_bound() {
		ParsedDocuments documents = new ParsedDocuments(2_000);

		for (int i = 0; i < 500; i++) {
			documents.getDocumentAsync(input("{ __typename a" + i + ": __typename }", Locale.ENGLISH, Map.of()), parse).join();
		}

		assertThat(documents.charactersHeld()).isPositive().isLessThanOrEqualTo(2_000);
	}
}
