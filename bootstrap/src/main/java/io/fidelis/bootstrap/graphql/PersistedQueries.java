package io.fidelis.bootstrap.graphql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;

/**
 * Automatic persisted queries (Apollo's protocol): a client sends a document's SHA-256 instead
 * of its text; when the hash is unknown here it is told {@code PERSISTED_QUERY_NOT_FOUND} and
 * sends the text once with the hash, which is checked and remembered. Mobile apps send a few
 * dozen bytes per request instead of the whole document, and a query by hash fits a GET.
 *
 * <p>The hash is always computed here from the text, so no client can bind a hash to another
 * document. Each node keeps its own documents, bounded by the characters held; a node that
 * forgot one (a restart, another node, eviction) asks for the text again, which the protocol
 * expects.
 *
 * <p>Also tells which kind of operation a request runs, for GET, which may only read.
 */
final class PersistedQueries {

	/** What a request's {@code extensions.persistedQuery} asks for. */
	sealed interface Lookup {
		/** The request names no persisted query: its own text stands. */
		record NotAsked() implements Lookup {
		}

		/** The text to run: the one the request sent (now remembered) or the one remembered. */
		record Text(String query) implements Lookup {
		}

		/** The hash is not known here: the client sends the text with it. */
		record NotFound() implements Lookup {
		}

		/** A malformed ask, or a text that does not hash to the hash sent. */
		record Invalid(String message) implements Lookup {
		}
	}

	private final Cache<String, String> texts;
	private final Cache<String, Map<String, OperationDefinition.Operation>> operations;

	PersistedQueries(long maxCharacters) {
		this.texts = Caffeine.newBuilder().maximumWeight(maxCharacters)
				.weigher((String hash, String text) -> text.length()).build();
		this.operations = Caffeine.newBuilder().maximumWeight(maxCharacters)
				.weigher((String text, Map<String, OperationDefinition.Operation> kinds) -> text.length()).build();
	}

	/**
	 * @param query     the request's text, or null
	 * @param persisted the request's {@code extensions.persistedQuery}, or null when it has none
	 */
	Lookup lookup(String query, Object persisted) {
		if (persisted == null) {
			return new Lookup.NotAsked();
		}
		if (!(persisted instanceof Map<?, ?> ask)) {
			return new Lookup.Invalid("extensions.persistedQuery must be an object with version 1 and a sha256Hash");
		}
		if (!(ask.get("version") instanceof Number version) || version.doubleValue() != 1) {
			return new Lookup.Invalid("extensions.persistedQuery.version must be 1, the only version supported");
		}
		if (!(ask.get("sha256Hash") instanceof String hash) || !hash.matches("[0-9a-fA-F]{64}")) {
			return new Lookup.Invalid("extensions.persistedQuery.sha256Hash must be the 64 hex digits of the "
					+ "document's SHA-256");
		}
		String key = hash.toLowerCase(Locale.ROOT);
		if (query == null) {
			String known = texts.getIfPresent(key);
			return known == null ? new Lookup.NotFound() : new Lookup.Text(known);
		}
		if (!sha256(query).equals(key)) {
			return new Lookup.Invalid("extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent");
		}
		texts.put(key, query);
		return new Lookup.Text(query);
	}

	/**
	 * The kind of operation the request would run, when the text says so: empty when it does not
	 * parse, names no such operation, or leaves the choice open (the engine answers those).
	 */
	Optional<OperationDefinition.Operation> operation(String query, String operationName) {
		Map<String, OperationDefinition.Operation> kinds = operations.get(query, PersistedQueries::kindsOf);
		if (operationName != null) {
			return Optional.ofNullable(kinds.get(operationName));
		}
		return kinds.size() == 1 ? Optional.of(kinds.values().iterator().next()) : Optional.empty();
	}

	/** Each operation's kind by its name ("" for an unnamed one); nothing when the text does not parse. */
	private static Map<String, OperationDefinition.Operation> kindsOf(String query) {
		Document document;
		try {
			document = Parser.parse(query);
		}
		catch (RuntimeException unparsable) {
			return Map.of(); // the engine says what is wrong with it
		}
		Map<String, OperationDefinition.Operation> kinds = new java.util.HashMap<>();
		for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
			kinds.put(operation.getName() == null ? "" : operation.getName(), operation.getOperation());
		}
		return Map.copyOf(kinds);
	}

	/** The characters of text held now, after evicting what is over the bound (eviction runs in the background). */
	long charactersHeld() {
		texts.cleanUp();
		return texts.policy().eviction().orElseThrow().weightedSize().orElseThrow();
	}

	static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every JDK", e);
		}
	}
}
