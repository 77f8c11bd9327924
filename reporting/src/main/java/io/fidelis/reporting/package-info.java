/**
 * Reporting: read models fed only by module events. Built in its own issue; the module exists
 * so that the module graph and its rules hold from the start.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reporting",
		allowedDependencies = { "members", "points", "offers", "cards" })
package io.fidelis.reporting;
