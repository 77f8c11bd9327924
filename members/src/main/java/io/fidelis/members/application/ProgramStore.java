package io.fidelis.members.application;

import java.util.Optional;

import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.Program;

/** Where programs are kept. */
public interface ProgramStore {

	Optional<Program> find(ProgramId id);

	/** Adds the program; false when a program with that id already exists. */
	boolean add(Program program);
}
