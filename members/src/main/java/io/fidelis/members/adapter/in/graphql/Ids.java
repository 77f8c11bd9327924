package io.fidelis.members.adapter.in.graphql;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.InvalidInput;

/** Turns raw GraphQL arguments into typed ids, with the field name in the error. */
final class Ids {

	private Ids() {
	}

	static ProgramId program(String raw) {
		try {
			return new ProgramId(raw);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidInput("programId", e.getMessage());
		}
	}

	static MemberId member(String raw) {
		try {
			return new MemberId(raw);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidInput("memberId", e.getMessage());
		}
	}

	static Set<String> set(Collection<String> values) {
		return values == null ? Set.of() : new HashSet<>(values);
	}
}
