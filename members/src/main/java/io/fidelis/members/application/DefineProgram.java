package io.fidelis.members.application;

import java.util.Set;

import io.fidelis.members.ProgramId;

/** A request to define a new loyalty program. */
public record DefineProgram(ProgramId id, String name, Set<String> currencies, Set<String> regions, String timeZone,
		Set<String> channels, io.fidelis.members.EnrollmentPolicy enrollment, String cardPrefix) {

	public DefineProgram(ProgramId id, String name, Set<String> currencies, Set<String> regions, String timeZone,
			Set<String> channels, io.fidelis.members.EnrollmentPolicy enrollment) {
		this(id, name, currencies, regions, timeZone, channels, enrollment, null);
	}

	/** A program on every channel, open to every way of enrolling. */
	public DefineProgram(ProgramId id, String name, Set<String> currencies, Set<String> regions, String timeZone) {
		this(id, name, currencies, regions, timeZone, null, null);
	}
}
