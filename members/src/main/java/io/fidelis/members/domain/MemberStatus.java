package io.fidelis.members.domain;

/** A member's lifecycle: active members earn and redeem, suspended ones are frozen, closed ones are gone. */
public enum MemberStatus {
	ACTIVE, SUSPENDED, CLOSED
}
