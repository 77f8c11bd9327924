package io.fidelis.bootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Log events counted by level through an appender that outlives a reset of the logging configuration. */
class LogEventCountsTest {

	private final LoggerContext context = new LoggerContext();
	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private double counted(String level) {
		return registry.get("logback.events").tag("level", level).counter().count();
	}

	@Test
	void whatIsLoggedIsCountedByLevelAndWhatIsNotLoggedIsNot() {
		var counting = new LogEventCounts.Counting(context);
		counting.bindTo(registry);
		var logger = context.getLogger("io.fidelis.example");
		logger.setLevel(Level.INFO);
		logger.warn("one");
		logger.error("two");
		logger.info("three");
		logger.debug("not logged at INFO");
		assertThat(counted("warn")).isEqualTo(1);
		assertThat(counted("error")).isEqualTo(1);
		assertThat(counted("info")).isEqualTo(1);
		assertThat(counted("debug")).isZero();
		assertThat(context.getTurboFilterList()).isEmpty();
		counting.close();
	}

	@Test
	void aResetOfTheLoggingConfigurationKeepsTheCountGoingAndClosingStopsIt() {
		var counting = new LogEventCounts.Counting(context);
		counting.bindTo(registry);
		context.getLogger("io.fidelis.example").warn("before");
		context.reset(); // what configuring logging again does: every appender dropped
		context.getLogger("io.fidelis.example").warn("after the reset");
		assertThat(counted("warn")).isEqualTo(2);
		counting.close();
		context.getLogger("io.fidelis.example").warn("after closing");
		assertThat(counted("warn")).isEqualTo(2);
	}
}
