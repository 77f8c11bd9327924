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
	 * The program boundary, one rule for every module: whether this caller may act in
	 * {@code program} at all. Staff and integration clients reach the programs their token names
	 * ({@code programs} claim), every program when it names none (a platform operator, a
	 * single-program installation). A member reaches any program here; what is theirs is checked
	 * apart (their own profile, points, cards and offers).
	 */
	boolean mayReach(ProgramId program);

	/** The refusal's text when {@link #mayReach} is false. */
	static String outOfReach(ProgramId program) {
		return "Your token does not cover program '" + program + "'";
	}

	/** {@code programs} read as the boundary: empty reaches every program. */
	private static boolean within(Set<String> programs, ProgramId program) {
		return programs.isEmpty() || program != null && programs.contains(program.value());
	}

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

		@Override
		public boolean mayReach(ProgramId program) {
			return within(programs, program);
		}

		public boolean hasRole(String role) {
			return roles.contains(role);
		}

		@Override
		public String key() {
			return "staff:" + subject;
		}
	}

	/**
	 * A POS, e-commerce or CRM system using client credentials, with scopes such as
	 * {@code points:write}; {@code programs} limits the programs it may act in, as for staff.
	 */
	record IntegrationClient(String clientId, Set<String> scopes, Set<String> programs) implements Caller {
		public IntegrationClient {
			scopes = Set.copyOf(scopes);
			programs = programs == null ? Set.of() : Set.copyOf(programs);
		}

		public IntegrationClient(String clientId, Set<String> scopes) {
			this(clientId, scopes, Set.of());
		}

		@Override
		public boolean mayReach(ProgramId program) {
			return within(programs, program);
		}

		@Override
		public String key() {
			return "client:" + clientId;
		}
	}

	/** A member acting for themselves; {@code subject} is their identity at the OIDC issuer. */
	record Member(String subject) implements Caller {
		@Override
		public boolean mayReach(ProgramId program) {
			return true;
		}

		@Override
		public String key() {
			return "member:" + subject;
		}
	}
}
