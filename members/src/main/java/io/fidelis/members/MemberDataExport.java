package io.fidelis.members;

import java.time.Instant;

/**
 * A member's data export as the API hands it out: the members module answers who may have it and
 * gives its own section; every module that keeps personal data adds its section to the GraphQL
 * type {@code MemberDataExport} (a field resolved from this parent), so an export holds all that
 * Fidelis keeps on a person. Holding one means the caller was allowed to ask.
 */
public interface MemberDataExport {

	MemberId memberId();

	ProgramId programId();

	Instant exportedAt();
}
