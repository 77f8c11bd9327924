package io.fidelis.bootstrap.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code fidelis.webhooks.*}: how hard Fidelis tries. With the defaults a delivery is retried after
 * 10 s, 20 s, 40 s … (doubling, at most an hour apart) and parked as dead after 10 failed attempts.
 *
 * @param timeout how long a receiver has to answer
 */
@ConfigurationProperties("fidelis.webhooks")
record WebhookProperties(@DefaultValue("PT10S") Duration firstRetry, @DefaultValue("PT1H") Duration maxRetry,
		@DefaultValue("10") int maxAttempts, @DefaultValue("PT10S") Duration timeout) {
}
