package io.fidelis.members;

import java.util.Set;

/**
 * Who is calling Fidelis, as established from a validated token. Every module decides what a
 * caller may do from this value, never from raw token claims.
 */
public sealed interface Caller {

	/** A stable key of the caller, used to scope idempotency keys. */
	String key();

	/**
	 * A program operator; {@code roles} are lower-case names such as {@code admin} or {@code operator}.
	 * {@code programs} limits the programs they may see; empty means all (a platform operator).
	 */
	record Staff(String subject, Set<String> roles, Set<String> programs) implements Caller {
		public Staff {
			roles = Set.copyOf(roles);
			programs = programs == null ? Set.of() : Set.copyOf(programs);
		}

		public Staff(String subject, Set<String> roles) {
			this(subject, roles, Set.of());
		}

		public boolean maySee(ProgramId program) {
			return programs.isEmpty() || programs.contains(program.value());
		}

		public boolean hasRole(String role) {
			return roles.contains(role);
		}

		@Override
		public String key() {
			return "staff:" + subject;
		}
	}

	/** A POS, e-commerce or CRM system using client credentials, with scopes such as {@code points:write}. */
	record IntegrationClient(String clientId, Set<String> scopes) implements Caller {
		public IntegrationClient {
			scopes = Set.copyOf(scopes);
		}

		@Override
		public String key() {
			return "client:" + clientId;
		}
	}

	/** A member acting for themselves; {@code subject} is their identity at the OIDC issuer. */
	record Member(String subject) implements Caller {
		@Override
		public String key() {
			return "member:" + subject;
		}
	}
}
