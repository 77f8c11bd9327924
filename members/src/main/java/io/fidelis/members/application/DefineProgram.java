package io.fidelis.members.application;

import java.util.Set;

import io.fidelis.members.ProgramId;

/** A request to define a new loyalty program. */
public record DefineProgram(ProgramId id, String name, Set<String> currencies, Set<String> regions, String timeZone) {
}
