package io.fidelis.points.application;

import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.ProgramDefined;
import io.fidelis.points.domain.PointRules;

/** Each program starts with default point rules when it is defined; staff administrators change them. */
@Service
public class SettingRules {

	private final RuleBook rules;

	SettingRules(RuleBook rules) {
		this.rules = rules;
	}

	public void programDefined(ProgramDefined program) {
		java.util.Set<io.fidelis.points.domain.Channel> channels = java.util.EnumSet.noneOf(io.fidelis.points.domain.Channel.class);
		program.channels().forEach(c -> channels.add(io.fidelis.points.domain.Channel.valueOf(c)));
		rules.addIfAbsent(PointRules.defaults(program.programId().value(), program.timeZone(), program.currencies(),
				channels));
	}

	public Optional<PointRules> rules(String programId) {
		return rules.find(programId);
	}

	/** Replaces the rules of a known program; empty when the program is unknown here. */
	public Optional<PointRules> replace(PointRules changed) {
		if (rules.find(changed.programId()).isEmpty()) {
			return Optional.empty();
		}
		rules.replace(changed);
		return Optional.of(changed);
	}
}
