package io.fidelis.bootstrap.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.fidelis.members.Caller;

/**
 * Answers 429 with {@code Retry-After} when a caller (an integration client, a member, a staff
 * user) goes over their rate, so that one busy till or one scripted account cannot starve the
 * others. Runs after the token is recognised. Requests without a token to the API or the PassKit
 * log are limited by the address they come from ({@link RateLimitProperties#anonymous()}).
 */
final class RateLimiting extends OncePerRequestFilter {

	private final CallerBuckets buckets;
	private final MeterRegistry registry;

	RateLimiting(CallerBuckets buckets, MeterRegistry registry) {
		this.buckets = buckets;
		this.registry = registry;
		for (String kind : new String[] { "STAFF", "CLIENT", "MEMBER", "ANONYMOUS" }) {
			refused(kind); // at 0 from the start, so that a rate sees the first refusal
		}
	}

	private Counter refused(String kind) {
		return Counter.builder("fidelis.rate.limited").description("Requests refused by the rate limits (429), by caller kind")
				.tag("caller", kind).register(registry);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!buckets.enabled()) {
			chain.doFilter(request, response);
			return;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		double wait;
		String kind = "ANONYMOUS"; // a kind, never a subject: the tag stays bounded
		if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
			wait = buckets.take(caller);
			kind = caller instanceof Caller.Staff ? "STAFF" : caller instanceof Caller.IntegrationClient ? "CLIENT" : "MEMBER";
		}
		else if (anonymousLimited(request)) {
			wait = buckets.takeAnonymous(request.getRemoteAddr());
		}
		else {
			wait = 0;
		}
		if (wait <= 0) {
			chain.doFilter(request, response);
			return;
		}
		refused(kind).increment();
		response.setStatus(429);
		response.setHeader("Retry-After", String.valueOf((long) Math.ceil(wait)));
		io.fidelis.bootstrap.graphql.RefusalBody.write(response, "RATE_LIMITED",
				"Too many requests from this caller; retry after " + (long) Math.ceil(wait) + " s");
	}

	/**
	 * Requests without a token that reach work: the API (refused there, but parsed first) and
	 * Apple's anonymous PassKit log. Health checks, the development issuer, the dashboard's files
	 * and pass downloads are not limited by address.
	 */
	static boolean anonymousLimited(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.equals("/graphql") || path.equals("/graphql-ws") || path.startsWith("/passkit/") && path.endsWith("/log");
	}
}
