package io.fidelis.bootstrap.webhooks;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fidelis.webhooks.*}: how hard Fidelis tries. With the defaults a delivery is retried after
 * 10 s, 20 s, 40 s … (doubling, at most an hour apart) and parked as dead after 10 failed attempts.
 *
 * @param timeout how long a receiver has to answer
 * @param allowedHosts hosts a webhook may post to although they are private (a receiver on the
 *        developer's machine or on the company's network); every other host must be public
 */
@ConfigurationProperties("fidelis.webhooks")
record WebhookProperties(@DefaultValue("PT10S") Duration firstRetry, @DefaultValue("PT1H") Duration maxRetry,
		@DefaultValue("10") int maxAttempts, @DefaultValue("PT10S") Duration timeout,
		@DefaultValue List<String> allowedHosts) {

	WebhookProperties {
		allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
	}
}
