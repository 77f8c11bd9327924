package io.fidelis.offers.application;

/** An expected "no", with the reason a client can act on and a message a person understands. */
public record Refusal(Reason reason, String message) {

	public enum Reason {
		NOT_FOUND, FORBIDDEN, CONFLICT, INSUFFICIENT_POINTS
	}

	/** Carries a refusal out of a use case to the adapter that shapes it. */
	public static class Refused extends RuntimeException {
		private final transient Refusal refusal;

		public Refused(Reason reason, String message) {
			super(message, null, false, false);
			this.refusal = new Refusal(reason, message);
		}

		public Refusal refusal() {
			return refusal;
		}
	}
}
