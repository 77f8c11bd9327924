package io.fidelis.bootstrap.metrics;

import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.logging.LogbackMetrics;

/**
 * {@code logback.events} by level, as Spring Boot's default binder names it, counted by an
 * appender on the root logger instead of Micrometer's turbo filter. A turbo filter is asked on
 * every {@code isTraceEnabled()} and {@code isDebugEnabled()} of every library, logged or not:
 * under earns those questions cost 1.3 % of the node's CPU. An appender sees only what is
 * logged. (A logger with additivity off would not be counted; Fidelis configures none.)
 */
@Configuration(proxyBeanMethods = false)
class LogEventCounts {

	/** Spring Boot's own binder steps aside for any {@link LogbackMetrics} bean. */
	@Bean
	LogbackMetrics logbackMetrics() {
		return new Counting((LoggerContext) LoggerFactory.getILoggerFactory());
	}

	static final class Counting extends LogbackMetrics {

		private final LoggerContext context;
		private final List<Appender> appenders = new java.util.concurrent.CopyOnWriteArrayList<>();
		/** A reset (logging configured again, e.g. by a second application context) drops every appender: put ours back. */
		private final ch.qos.logback.classic.spi.LoggerContextListener onReset = new ch.qos.logback.classic.spi.LoggerContextListener() {
			@Override
			public boolean isResetResistant() {
				return true;
			}

			@Override
			public void onReset(LoggerContext resetContext) {
				appenders.forEach(Counting.this::attach);
			}

			@Override
			public void onStart(LoggerContext startedContext) {
			}

			@Override
			public void onStop(LoggerContext stoppedContext) {
			}

			@Override
			public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
			}
		};

		Counting(LoggerContext context) {
			super(Tags.empty(), context);
			this.context = context;
			context.addListener(onReset);
		}

		@Override
		public void bindTo(MeterRegistry registry) {
			Map<Level, Counter> byLevel = new java.util.HashMap<>();
			for (Level level : List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE)) {
				Counter counter = Counter.builder("logback.events").tag("level", level.levelStr.toLowerCase(java.util.Locale.ROOT))
						.description("Number of log events that were enabled by the effective log level")
						.baseUnit("events").register(registry);
				byLevel.put(level, counter);
			}
			Appender appender = new Appender(Map.copyOf(byLevel));
			appender.setContext(context);
			appender.setName("fidelis-log-event-counts-" + System.identityHashCode(appender));
			appender.start();
			appenders.add(appender);
			attach(appender);
		}

		private void attach(Appender appender) {
			if (!appender.isStarted()) { // a reset stops what it detaches
				appender.start();
			}
			var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			if (!root.isAttached(appender)) {
				root.addAppender(appender);
			}
		}

		@Override
		public void close() {
			context.removeListener(onReset);
			var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			for (Appender appender : appenders) {
				root.detachAppender(appender);
				appender.stop();
			}
			appenders.clear();
			super.close();
		}
	}

	private static final class Appender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		private final Map<Level, Counter> byLevel;

		Appender(Map<Level, Counter> byLevel) {
			this.byLevel = byLevel;
		}

		@Override
		protected void append(ILoggingEvent event) {
			Counter counter = byLevel.get(event.getLevel());
			if (counter != null) {
				counter.increment();
			}
		}
	}
}
