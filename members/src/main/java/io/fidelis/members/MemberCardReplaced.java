package io.fidelis.members;

import java.time.Instant;

/**
 * A member's card was reported lost, stolen or damaged: {@code previousCardNumber} is blocked at
 * once and {@code cardNumber} now identifies the same member (same account, balance and history).
 */
public record MemberCardReplaced(MemberId memberId, ProgramId programId, String previousCardNumber, String cardNumber,
		String reason, Instant at) {
}
