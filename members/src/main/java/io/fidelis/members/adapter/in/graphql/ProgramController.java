package io.fidelis.members.adapter.in.graphql;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.Caller;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.domain.Program;
import io.fidelis.members.application.Refusal;

/** The {@code Program} type. */
@Controller
class ProgramController {

	private final DefiningPrograms programs;

	ProgramController(DefiningPrograms programs) {
		this.programs = programs;
	}

	record DefineProgramInput(String id, String name, List<java.util.Currency> currencies, List<String> regions, String timeZone,
			List<String> channels, io.fidelis.members.EnrollmentPolicy enrollment, String cardPrefix) {
	}

	record DefineProgramPayload(Program program) {
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	DefineProgramPayload defineProgram(@Argument DefineProgramInput input, @AuthenticationPrincipal Caller caller) {
		DefiningPrograms.Outcome outcome = programs.define(caller, new DefineProgram(Ids.program(input.id()), input.name(),
				Ids.set(input.currencies() == null ? null : input.currencies().stream().map(java.util.Currency::getCurrencyCode).toList()),
				Ids.set(input.regions()), input.timeZone(),
				input.channels() == null ? null : Ids.set(input.channels()), input.enrollment(),
				input.cardPrefix()));
		if (outcome instanceof DefiningPrograms.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return new DefineProgramPayload(((DefiningPrograms.Outcome.Defined) outcome).program());
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('STAFF', 'MEMBER', 'INTEGRATION')")
	Program program(@Argument String id, @AuthenticationPrincipal Caller caller) {
		return programs.program(caller, Ids.program(id)).orElse(null);
	}

	@SchemaMapping(typeName = "Program", field = "id")
	String id(Program program) {
		return program.id().value();
	}

	@SchemaMapping(typeName = "Program", field = "currencies")
	List<String> currencies(Program program) {
		return program.currencies().stream().sorted().toList();
	}

	@SchemaMapping(typeName = "Program", field = "regions")
	List<String> regions(Program program) {
		return program.regions().stream().sorted().toList();
	}

	@SchemaMapping(typeName = "Program", field = "channels")
	List<String> channels(Program program) {
		return program.channels().stream().sorted().toList();
	}

	@SchemaMapping(typeName = "Program", field = "timeZone")
	String timeZone(Program program) {
		return program.timeZone().getId();
	}
}
