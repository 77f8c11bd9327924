package io.fidelis.members;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * A loyalty program was defined; modules above keep what they need of it.
 *
 * @param channels where the program runs: ONLINE, IN_STORE, APP, PARTNER
 */
public record ProgramDefined(ProgramId programId, String name, Set<String> currencies, ZoneId timeZone,
		Set<String> channels, Instant definedAt) {
}
