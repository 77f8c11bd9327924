package io.fidelis.architecture;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import io.fidelis.FidelisApplication;

/**
 * The module graph: no cycles, modules meet only through their API packages, and each module
 * depends only on the modules its package-info allows (members on none, points on members, ...).
 * Also writes the module diagrams and canvases to target/spring-modulith-docs.
 */
class ModularityTests {

	static final ApplicationModules MODULES = ApplicationModules.of(FidelisApplication.class);

	@Test
	void modulesMeetOnlyThroughTheirApiAndNeverInACycle() {
		MODULES.verify();
	}

	@Test
	void writesModuleDiagramsAndCanvases() {
		new Documenter(MODULES).writeDocumentation();
	}
}
