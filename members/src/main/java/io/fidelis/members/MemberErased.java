package io.fidelis.members;

import java.time.Instant;

/**
 * A member's personal data was erased. Every module anonymises what it holds on them; amounts in
 * ledgers stay, for accounting.
 */
public record MemberErased(MemberId memberId, ProgramId programId, Instant at) {
}
