package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import graphql.language.OperationDefinition.Operation;

class PersistedQueriesTest {

	final PersistedQueries persisted = new PersistedQueries(1_000);

	static Map<String, Object> ask(String hash) {
		return Map.of("version", 1, "sha256Hash", hash);
	}

	@Test
	void aTextIsRememberedUnderItsOwnHashOnlyInAnyCase() {
		String text = "{ __typename }";
		String hash = PersistedQueries.sha256(text);
		// as sha256sum computes it
		assertThat(hash).isEqualTo("7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b");

		assertThat(persisted.lookup(null, ask(hash))).isEqualTo(new PersistedQueries.Lookup.NotFound());
		assertThat(persisted.lookup(text, ask(hash.toUpperCase()))).isEqualTo(new PersistedQueries.Lookup.Text(text));
		assertThat(persisted.lookup(null, ask(hash))).isEqualTo(new PersistedQueries.Lookup.Text(text));
		assertThat(persisted.lookup(text, null)).isEqualTo(new PersistedQueries.Lookup.NotAsked());

		String other = "{ program(id: \"x\") { id } }";
		assertThat(persisted.lookup(other, ask(hash))).isInstanceOf(PersistedQueries.Lookup.Invalid.class);
		assertThat(persisted.lookup(null, ask(hash))).as("the right text stays").isEqualTo(new PersistedQueries.Lookup.Text(text));
		assertThat(persisted.lookup(null, ask(PersistedQueries.sha256(other)))).isEqualTo(new PersistedQueries.Lookup.NotFound());
	}

	@Test
	void malformedAsksAreInvalid() {
		String hash = PersistedQueries.sha256("{ __typename }");
		assertThat(persisted.lookup(null, "yes")).isInstanceOf(PersistedQueries.Lookup.Invalid.class);
		assertThat(persisted.lookup(null, Map.of("sha256Hash", hash))).isInstanceOf(PersistedQueries.Lookup.Invalid.class);
		assertThat(persisted.lookup(null, Map.of("version", 2, "sha256Hash", hash)))
				.isInstanceOf(PersistedQueries.Lookup.Invalid.class);
		assertThat(persisted.lookup(null, Map.of("version", 1, "sha256Hash", hash.substring(1))))
				.isInstanceOf(PersistedQueries.Lookup.Invalid.class);
		assertThat(persisted.lookup(null, Map.of("version", 1, "sha256Hash", 42))).isInstanceOf(PersistedQueries.Lookup.Invalid.class);
	}

	@Test
	void theTextsHeldStayWithinTheirBound() {
		for (int i = 0; i < 200; i++) {
			String text = "{ __typename } # " + "x".repeat(50) + i;
			persisted.lookup(text, ask(PersistedQueries.sha256(text)));
		}
		assertThat(persisted.charactersHeld()).isPositive().isLessThanOrEqualTo(1_000);
		long held = 0;
		for (int i = 0; i < 200; i++) {
			String text = "{ __typename } # " + "x".repeat(50) + i;
			if (persisted.lookup(null, ask(PersistedQueries.sha256(text))) instanceof PersistedQueries.Lookup.Text) {
				held += text.length();
			}
		}
		assertThat(held).isPositive().isLessThanOrEqualTo(1_000);
	}

	@Test
	void theOperationARequestRunsIsToldByItsNameOrBeingTheOnlyOne() {
		assertThat(persisted.operation("{ __typename }", null)).contains(Operation.QUERY);
		assertThat(persisted.operation("mutation M { x }", null)).contains(Operation.MUTATION);
		assertThat(persisted.operation("subscription { x }", null)).contains(Operation.SUBSCRIPTION);
		String two = "query A { x } mutation B { y }";
		assertThat(persisted.operation(two, "A")).contains(Operation.QUERY);
		assertThat(persisted.operation(two, "B")).contains(Operation.MUTATION);
		assertThat(persisted.operation(two, null)).as("the engine says which is meant").isEmpty();
		assertThat(persisted.operation(two, "C")).isEmpty();
		assertThat(persisted.operation("{ not closed", null)).as("the engine says what is wrong").isEmpty();
	}
}
