package io.fidelis.members.application;

/** An expected "no" from a use case, with the reason a client can act on and a message a person understands. */
public record Refusal(Reason reason, String message) {

	public enum Reason {
		NOT_FOUND, CONFLICT, FORBIDDEN, IDEMPOTENCY_KEY_REUSED,
		/** The card was reported lost, stolen or damaged and replaced: it no longer identifies anyone. */
		CARD_BLOCKED
	}

	static Refusal notFound(String message) {
		return new Refusal(Reason.NOT_FOUND, message);
	}

	static Refusal conflict(String message) {
		return new Refusal(Reason.CONFLICT, message);
	}

	static Refusal forbidden(String message) {
		return new Refusal(Reason.FORBIDDEN, message);
	}

	/**
	 * A refusal thrown: by a use case whose answer is not an outcome (a read that returns what it
	 * found), and by a controller out of an outcome, to the module's error handler.
	 */
	public static final class Refused extends RuntimeException {
		private final transient Refusal refusal;

		public Refused(Refusal refusal) {
			super(refusal.message(), null, false, false);
			this.refusal = refusal;
		}

		public Refusal refusal() {
			return refusal;
		}
	}

	/** Throws {@link Refused} when {@code caller} may not act in {@code program} ({@link io.fidelis.members.Caller#mayReach}). */
	static void requireReach(io.fidelis.members.Caller caller, io.fidelis.members.ProgramId program) {
		outOfReach(caller, program).ifPresent(refusal -> {
			throw new Refused(refusal);
		});
	}

	/** The program boundary ({@link io.fidelis.members.Caller#mayReach}) as this module's refusal. */
	static java.util.Optional<Refusal> outOfReach(io.fidelis.members.Caller caller, io.fidelis.members.ProgramId program) {
		return caller.mayReach(program) ? java.util.Optional.empty()
				: java.util.Optional.of(forbidden(io.fidelis.members.Caller.outOfReach(program)));
	}
}
