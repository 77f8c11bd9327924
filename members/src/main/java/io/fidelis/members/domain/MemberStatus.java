package io.fidelis.members.domain;

/**
 * A member's lifecycle: active members earn and redeem, suspended ones are frozen until staff
 * lift it, closed ones are gone for good.
 */
public enum MemberStatus {
	ACTIVE, SUSPENDED, CLOSED;

	public boolean mayBecome(MemberStatus next) {
		return switch (this) {
			case ACTIVE -> next == SUSPENDED || next == CLOSED;
			case SUSPENDED -> next == ACTIVE || next == CLOSED;
			case CLOSED -> false;
		};
	}
}
