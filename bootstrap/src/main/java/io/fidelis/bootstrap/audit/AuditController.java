package io.fidelis.bootstrap.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * Staff admins read the audit trail, newest first, a page at a time. An admin whose token names
 * programs sees the actions on those programs only: an entry's program is the one the action
 * named, or else its member's.
 */
@Controller
class AuditController {

	private final AuditTrail trail;
	private final MemberDirectory members;

	AuditController(AuditTrail trail, MemberDirectory members) {
		this.trail = trail;
		this.members = members;
	}

	record AuditLogPage(List<AuditEntry> entries, String nextCursor) {
	}

	static final class Refused extends RuntimeException {
		final String code;

		Refused(String code, String message) {
			super(message, null, false, false);
			this.code = code;
		}
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	AuditLogPage auditLog(@Argument String programId, @Argument String memberId, @Argument Integer first,
			@Argument String after, @AuthenticationPrincipal Caller caller) {
		int size = first == null ? 50 : first;
		if (size < 1 || size > 200) {
			throw new Refused("VALIDATION", "first is 1 to 200");
		}
		if (after != null && !after.matches("[0-9]{13}-[0-9a-f]{12}")) {
			throw new Refused("VALIDATION", "after is a cursor from an earlier page");
		}
		ProgramId program = null;
		if (programId != null) {
			try {
				program = new ProgramId(programId);
			}
			catch (IllegalArgumentException e) {
				throw new Refused("VALIDATION", e.getMessage());
			}
			if (!caller.mayReach(program)) {
				throw new Refused("FORBIDDEN", Caller.outOfReach(program));
			}
		}
		Map<String, Optional<String>> programOfMember = new HashMap<>();
		ProgramId asked = program;
		Predicate<AuditEntry> visible = entry -> {
			String of = entry.programId() != null ? entry.programId()
					: entry.memberIds().isEmpty() ? null
							: programOfMember.computeIfAbsent(entry.memberIds().get(0), this::programOf).orElse(null);
			if (asked != null && !asked.value().equals(of)) {
				return false;
			}
			if (memberId != null && !entry.memberIds().contains(memberId)) {
				return false;
			}
			// an action that named no program, or no valid program id (refused), is shown to platform admins only
			Optional<ProgramId> named = programId(of);
			return named.isPresent() ? caller.mayReach(named.get()) : ((Caller.Staff) caller).programs().isEmpty();
		};
		AuditTrail.Page page = trail.page(after, size, visible);
		return new AuditLogPage(page.entries(), page.next());
	}

	private static Optional<ProgramId> programId(String text) {
		try {
			return text == null ? Optional.empty() : Optional.of(new ProgramId(text));
		}
		catch (IllegalArgumentException notAProgramId) {
			return Optional.empty();
		}
	}

	private Optional<String> programOf(String member) {
		try {
			return members.programOf(new MemberId(member)).map(ProgramId::value);
		}
		catch (IllegalArgumentException notAMemberId) {
			return Optional.empty();
		}
	}

	@GraphQlExceptionHandler
	GraphQLError refused(Refused e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env)
				.errorType(e.code.equals("FORBIDDEN") ? ErrorType.FORBIDDEN : ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(e.code.equals("VALIDATION") ? Map.of("code", e.code, "field", "auditLog") : Map.of("code", e.code))
				.build();
	}
}
