package io.fidelis.members.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.application.ImportLog.MemberImport;
import io.fidelis.members.application.ImportingMembers;
import io.fidelis.members.application.ImportingMembers.Format;
import io.fidelis.members.application.Refusal;
import tools.jackson.databind.json.JsonMapper;

/** Bulk import of members (staff): start one, then follow its progress and row report. */
@Controller
class ImportController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ImportingMembers importing;

	ImportController(ImportingMembers importing) {
		this.importing = importing;
	}

	record ImportMembersInput(String importId, String programId, Format format, String content) {
	}

	record ImportMembersPayload(MemberImport memberImport) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	ImportMembersPayload importMembers(@Argument ImportMembersInput input, @AuthenticationPrincipal Caller caller) {
		ImportingMembers.Started started = importing.start(caller, input.importId(), Ids.program(input.programId()),
				input.format(), input.content(), ImportController::jsonObject);
		if (started instanceof ImportingMembers.Started.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return new ImportMembersPayload(((ImportingMembers.Started.Accepted) started).memberImport());
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	MemberImport memberImport(@Argument String importId, @AuthenticationPrincipal Caller caller) {
		return importing.find(caller, importId).orElse(null);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> jsonObject(String line) {
		return JSON.readValue(line, Map.class);
	}
}
