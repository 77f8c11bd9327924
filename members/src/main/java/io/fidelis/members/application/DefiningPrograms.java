package io.fidelis.members.application;

import java.time.Clock;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramDefined;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.Program;

/** Defines loyalty programs (staff administrators) and reads them. */
@Service
public class DefiningPrograms {

	private final ProgramStore programs;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	DefiningPrograms(ProgramStore programs, ApplicationEventPublisher events, Clock clock) {
		this.programs = programs;
		this.events = events;
		this.clock = clock;
	}

	public sealed interface Outcome {
		record Defined(Program program) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	@Transactional
	public Outcome define(Caller caller, DefineProgram request) {
		Optional<Refusal> outOfReach = Refusal.outOfReach(caller, request.id());
		if (outOfReach.isPresent()) {
			return new Outcome.Refused(outOfReach.get());
		}
		Program program = new Program(request.id(), request.name(), request.currencies(), request.regions(),
				Program.timeZone(request.timeZone()), request.channels() == null ? Program.CHANNELS : request.channels(),
				request.enrollment() == null ? io.fidelis.members.EnrollmentPolicy.open() : request.enrollment(),
				clock.instant(), request.cardPrefix());
		if (!programs.add(program)) {
			Program existing = programs.find(program.id()).orElseThrow();
			if (sameDefinition(existing, program)) {
				return new Outcome.Defined(existing); // a retry of the same definition
			}
			return new Outcome.Refused(Refusal.conflict("A different program '" + program.id() + "' already exists"));
		}
		events.publishEvent(new ProgramDefined(program.id(), program.name(), program.currencies(), program.timeZone(),
				program.channels(), program.definedAt()));
		return new Outcome.Defined(program);
	}

	/** The program as defined; empty when there is none, refused ({@link Refusal.Refused}) beyond the caller's reach. */
	public Optional<Program> program(Caller caller, ProgramId id) {
		Refusal.requireReach(caller, id);
		return programs.find(id);
	}

	/** The program of a member already shown to the caller, so within their reach. */
	public Optional<Program> programOf(io.fidelis.members.MemberProfile shown) {
		return programs.find(shown.programId());
	}

	private static boolean sameDefinition(Program a, Program b) {
		return a.name().equals(b.name()) && a.currencies().equals(b.currencies()) && a.regions().equals(b.regions())
				&& a.timeZone().equals(b.timeZone()) && a.channels().equals(b.channels())
				&& a.cardPrefix().equals(b.cardPrefix())
				&& a.enrollment().equals(b.enrollment());
	}
}
