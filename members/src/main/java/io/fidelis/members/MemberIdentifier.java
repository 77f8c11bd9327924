package io.fidelis.members;

/**
 * How a till, web shop or CRM names a member: by exactly one of their member id, card number,
 * the program's external (CRM) id, or email.
 */
public record MemberIdentifier(String memberId, String cardNumber, String externalId, String email) {

	public int given() {
		return (memberId == null ? 0 : 1) + (cardNumber == null ? 0 : 1) + (externalId == null ? 0 : 1)
				+ (email == null ? 0 : 1);
	}

	/** What {@link MemberDirectory#identify} found. */
	public sealed interface Identified {
		/** @param active the member's status was active when found: the caller need not read it again */
		record Found(MemberId memberId, boolean active) implements Identified {
		}

		/** The card was reported lost, stolen or damaged and replaced. */
		record Blocked(String message) implements Identified {
		}

		record Unknown(String message) implements Identified {
		}

		/** The identifier itself is malformed (e.g. a card number with a wrong check digit). */
		record Invalid(String field, String message) implements Identified {
		}
	}
}
