package io.fidelis.members.domain;

import java.time.Instant;
import java.util.Objects;

/** What the member agreed to, and when: the proof a privacy officer asks for. */
public record Consent(boolean marketingOptIn, String termsVersion, Instant recordedAt) {

	public Consent {
		termsVersion = InvalidInput.requireText("termsVersion", termsVersion, 40);
		Objects.requireNonNull(recordedAt, "recordedAt");
	}
}
