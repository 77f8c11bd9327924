package io.fidelis.ledger;

import java.time.Clock;
import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's clock replaced by one the tests move. Tests that import it share one
 * context, so each works from wherever the clock stands, never from a fixed date.
 */
@TestConfiguration
class MovableClockConfiguration {

	static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-01-05T09:00:00Z"));

	@Bean
	@Primary
	Clock movableClock() {
		return CLOCK;
	}
}
