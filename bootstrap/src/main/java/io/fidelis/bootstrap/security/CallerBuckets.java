package io.fidelis.bootstrap.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fidelis.members.Caller;

/**
 * Every caller's token bucket, shared by the ways in: an HTTP request and an operation over a
 * WebSocket take from the same bucket, so that a socket is no way around the limit. Anonymous
 * requests take from their address's bucket.
 */
final class CallerBuckets {

	private final RateLimitProperties limits;
	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
	private volatile long lastSweep = System.nanoTime();

	CallerBuckets(RateLimitProperties limits) {
		this.limits = limits;
	}

	boolean enabled() {
		return limits.enabled();
	}

	/** Takes one request from the caller's bucket; answers 0, or the seconds until one is there. */
	double take(Caller caller) {
		RateLimitProperties.Limit limit = caller instanceof Caller.IntegrationClient client
				? limits.clients().getOrDefault(client.clientId(), limits.integration())
				: caller instanceof Caller.Member ? limits.member() : limits.staff();
		return take(caller.key(), limit);
	}

	/** As {@link #take(Caller)}, for a request without a token, by the address it came from. */
	double takeAnonymous(String address) {
		return take("address:" + address, limits.anonymous());
	}

	private double take(String key, RateLimitProperties.Limit limit) {
		if (!limits.enabled()) {
			return 0;
		}
		long now = System.nanoTime();
		sweep(now);
		return buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), now)).take(limit, now);
	}

	/** Full buckets of callers gone quiet are dropped, so that a million members do not pile up. */
	private void sweep(long now) {
		if (now - lastSweep < 60_000_000_000L) {
			return;
		}
		lastSweep = now;
		buckets.values().removeIf(b -> b.idleSince(now) > 120_000_000_000L);
	}

	private static final class Bucket {
		private double tokens;
		private long updated;

		Bucket(double tokens, long now) {
			this.tokens = tokens;
			this.updated = now;
		}

		/** Takes one token; answers 0, or the seconds until one is there. */
		synchronized double take(RateLimitProperties.Limit limit, long now) {
			tokens = Math.min(limit.burst(), tokens + (now - updated) / 1e9 * limit.perSecond());
			updated = now;
			if (tokens >= 1) {
				tokens -= 1;
				return 0;
			}
			return (1 - tokens) / limit.perSecond();
		}

		synchronized long idleSince(long now) {
			return now - updated;
		}
	}
}
