package io.fidelis.points.application;

import java.util.Optional;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.points.domain.Refusal;

/**
 * The program boundary ({@link Caller#mayReach}) as the ledger's refusal. Every use case that
 * names a program, a member or an order checks it against the program it finds before it reads
 * on or writes anything.
 */
public final class ProgramReach {

	private ProgramReach() {
	}

	/** Empty when {@code caller} may act in {@code program}. */
	public static Optional<Refusal> refusal(Caller caller, ProgramId program) {
		return caller.mayReach(program) ? Optional.empty()
				: Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, Caller.outOfReach(program)));
	}

	/** As {@link #refusal}, thrown: for a read that answers what it found rather than an outcome. */
	public static void require(Caller caller, ProgramId program) {
		refusal(caller, program).ifPresent(refusal -> {
			throw new OutOfReach(refusal);
		});
	}

	/** The caller's token does not cover the program. */
	public static final class OutOfReach extends RuntimeException {
		private final transient Refusal refusal;

		OutOfReach(Refusal refusal) {
			super(refusal.message(), null, false, false);
			this.refusal = refusal;
		}

		public Refusal refusal() {
			return refusal;
		}
	}
}
