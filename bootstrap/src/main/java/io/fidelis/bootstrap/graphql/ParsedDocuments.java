package io.fidelis.bootstrap.graphql;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

/**
 * Parsed and validated documents, kept by their text: tills and apps send the same few documents
 * all day with other variables, and parsing and validating one again on every request was a
 * measurable share of a request's CPU. Validation depends on the text alone (variables are
 * checked when the operation runs), and its messages on the locale, so both make the key.
 * Bounded by the characters held, so large documents cannot fill the heap; a document that
 * failed keeps its errors, answered again without parsing.
 */
final class ParsedDocuments implements PreparsedDocumentProvider {

	private final Cache<Key, PreparsedDocumentEntry> documents;

	ParsedDocuments(long maxCharacters) {
		this.documents = Caffeine.newBuilder().maximumWeight(maxCharacters)
				.weigher((Key key, PreparsedDocumentEntry entry) -> key.text().length()).recordStats().build();
	}

	@Override
	public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
			Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
		return CompletableFuture.completedFuture(
				documents.get(new Key(input.getQuery(), input.getLocale()), key -> parseAndValidate.apply(input)));
	}

	/** Hits, misses and evictions as {@code cache_*} metrics tagged {@code cache="graphql_documents"}. */
	void measure(io.micrometer.core.instrument.MeterRegistry registry) {
		io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry, documents, "graphql_documents");
	}

	/** How many documents were answered from the cache. */
	long hits() {
		return documents.stats().hitCount();
	}

	/** The characters of text held now, after evicting what is over the bound. */
	long charactersHeld() {
		documents.cleanUp();
		return documents.policy().eviction().orElseThrow().weightedSize().orElseThrow();
	}

	private record Key(String text, Locale locale) {
	}
}
