package io.fidelis.bootstrap.audit;

import java.time.Instant;
import java.util.List;

/**
 * One action by staff or an integration client: who (kind, subject or client id, roles, scopes,
 * the programs their token names), what (the mutation, the program and members it named), when,
 * and how it ended ({@code OK} or the error code it was refused with). Inputs are not kept: they
 * hold personal data, which the modules keep (and erase) themselves.
 *
 * @param id time-ordered, so that the newest sort first
 */
record AuditEntry(String id, Instant at, String operation, String outcome, String callerKind, String subject,
		List<String> roles, List<String> scopes, List<String> callerPrograms, String programId, List<String> memberIds) {

	AuditEntry {
		roles = List.copyOf(roles);
		scopes = List.copyOf(scopes);
		callerPrograms = List.copyOf(callerPrograms);
		memberIds = List.copyOf(memberIds);
	}
}
