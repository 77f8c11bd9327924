package io.fidelis.bootstrap.security;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Requests each caller may make, as a token bucket: {@code perSecond} refills, {@code burst}
 * holds at most. Limits apply per node (with several nodes a caller gets that many times more).
 *
 * @param enabled     whether limits apply at all
 * @param integration every integration client, unless {@code clients} names it
 * @param member      every member, each on their own
 * @param staff       every staff user, each on their own
 * @param clients     per integration client id, e.g. {@code fidelis.rate-limits.clients.pos-paris.per-second=50}
 * @param anonymous   requests without a token to the API and the PassKit log, per address they come from
 */
@ConfigurationProperties("fidelis.rate-limits")
record RateLimitProperties(@DefaultValue("true") boolean enabled, Limit integration, Limit member, Limit staff,
		Map<String, Limit> clients, Limit anonymous) {

	RateLimitProperties {
		integration = integration == null ? new Limit(200, 400) : integration;
		member = member == null ? new Limit(10, 30) : member;
		staff = staff == null ? new Limit(100, 200) : staff;
		clients = clients == null ? Map.of() : Map.copyOf(clients);
		anonymous = anonymous == null ? new Limit(50, 200) : anonymous;
	}

	record Limit(double perSecond, int burst) {
		Limit {
			if (perSecond <= 0 || burst < 1) {
				throw new IllegalArgumentException("A rate limit needs per-second > 0 and burst >= 1");
			}
		}
	}
}
