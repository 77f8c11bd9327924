package io.fidelis.bootstrap;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The one clock every module reads. It ticks in milliseconds, the precision MongoDB stores, so
 * that an instant reads back exactly as it was written. Async is on for module listeners.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@org.springframework.scheduling.annotation.EnableScheduling
class ClockConfiguration {

	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
	}
}
