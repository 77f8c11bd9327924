package io.fidelis.members;

import java.util.UUID;

/** A member's identity, the same in every module. */
public record MemberId(String value) {

	public MemberId {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("A member id must not be blank");
		}
	}

	public static MemberId random() {
		return new MemberId("m_" + UUID.randomUUID().toString().replace("-", ""));
	}

	@Override
	public String toString() {
		return value;
	}
}
