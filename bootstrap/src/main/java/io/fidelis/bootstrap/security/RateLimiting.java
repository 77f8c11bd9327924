package io.fidelis.bootstrap.security;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.fidelis.members.Caller;

/**
 * Answers 429 with {@code Retry-After} when a caller (an integration client, a member, a staff
 * user) goes over their rate, so that one busy till or one scripted account cannot starve the
 * others. Runs after the token is recognised; anonymous requests are refused elsewhere.
 */
final class RateLimiting extends OncePerRequestFilter {

	private final RateLimitProperties limits;
	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
	private volatile long lastSweep = System.nanoTime();

	RateLimiting(RateLimitProperties limits) {
		this.limits = limits;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (!limits.enabled() || authentication == null || !(authentication.getPrincipal() instanceof Caller caller)) {
			chain.doFilter(request, response);
			return;
		}
		RateLimitProperties.Limit limit = caller instanceof Caller.IntegrationClient client
				? limits.clients().getOrDefault(client.clientId(), limits.integration())
				: caller instanceof Caller.Member ? limits.member() : limits.staff();
		long now = System.nanoTime();
		sweep(now);
		double wait = buckets.computeIfAbsent(caller.key(), k -> new Bucket(limit.burst(), now)).take(limit, now);
		if (wait <= 0) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(429);
		response.setHeader("Retry-After", String.valueOf((long) Math.ceil(wait)));
		io.fidelis.bootstrap.graphql.RefusalBody.write(response, "RATE_LIMITED",
				"Too many requests from this caller; retry after " + (long) Math.ceil(wait) + " s");
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
