package io.fidelis.points.application;

import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.ProgramDefined;
import io.fidelis.members.ProgramId;
import io.fidelis.points.domain.PointRules;

/** Each program starts with default point rules when it is defined; staff administrators change them. */
@Service
public class SettingRules {

	private final RuleBook rules;
	private final MemberDirectory members;

	SettingRules(RuleBook rules, MemberDirectory members) {
		this.rules = rules;
		this.members = members;
	}

	public void programDefined(ProgramDefined program) {
		java.util.Set<io.fidelis.points.domain.Channel> channels = java.util.EnumSet.noneOf(io.fidelis.points.domain.Channel.class);
		program.channels().forEach(c -> channels.add(io.fidelis.points.domain.Channel.valueOf(c)));
		rules.addIfAbsent(PointRules.defaults(program.programId().value(), program.timeZone(), program.currencies(),
				channels));
	}

	/**
	 * The program's rules. Points learns of a program from its {@code ProgramDefined} event,
	 * which arrives after the definition's answer; a request about a program defined a moment ago
	 * (a staff tool defining a program, then its stores) asks the members module instead and
	 * learns now what the event would have taught (the listener then finds it known).
	 */
	public Optional<PointRules> rules(String programId) {
		Optional<PointRules> known = rules.find(programId);
		if (known.isPresent()) {
			return known;
		}
		ProgramId id;
		try {
			id = new ProgramId(programId);
		}
		catch (IllegalArgumentException notAProgramId) {
			return Optional.empty(); // no program has that id: answered NOT_FOUND as before
		}
		return members.programDefinition(id).flatMap(defined -> {
			programDefined(defined);
			return rules.find(programId);
		});
	}

	/** The program's rules as {@code caller} may read them: refused ({@link ProgramReach.OutOfReach}) beyond their reach. */
	public Optional<PointRules> rules(Caller caller, String programId) {
		requireReach(caller, programId);
		return rules(programId);
	}

	/** Replaces the rules of a known program; empty when the program is unknown here. */
	public Optional<PointRules> replace(Caller caller, PointRules changed) {
		requireReach(caller, changed.programId());
		if (rules(changed.programId()).isEmpty()) {
			return Optional.empty();
		}
		rules.replace(changed);
		return Optional.of(changed);
	}

	private static void requireReach(Caller caller, String programId) {
		ProgramId program;
		try {
			program = new ProgramId(programId);
		}
		catch (IllegalArgumentException notAProgramId) {
			return; // no program has that id: answered NOT_FOUND as before
		}
		ProgramReach.require(caller, program);
	}
}
