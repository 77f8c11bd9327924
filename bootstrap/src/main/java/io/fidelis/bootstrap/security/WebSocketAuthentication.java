package io.fidelis.bootstrap.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Browsers cannot set headers on a WebSocket, so graphql-ws clients send the token in the
 * {@code connection_init} payload ({@code {"Authorization": "Bearer …"}}). It is validated exactly
 * like a header token; an invalid one closes the connection (4401), and the caller then applies
 * to every operation of the connection: queries, mutations and subscriptions, under the same
 * rules as over HTTP. Each operation takes from the caller's rate limit as an HTTP request does.
 * Once the token expires, no new operation runs, and {@link AuthenticatedWebSockets} closes the
 * connection (4401), which ends its subscriptions.
 */
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE) // first: the others see its caller
final class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

	static final String CALLER = WebSocketAuthentication.class.getName() + ".caller";

	private final JwtDecoder decoder;
	private final CallerRecognition recognition;
	private final CallerBuckets buckets;
	private final Clock clock;

	WebSocketAuthentication(JwtDecoder decoder, CallerRecognition recognition, CallerBuckets buckets, Clock clock) {
		this.decoder = decoder;
		this.recognition = recognition;
		this.buckets = buckets;
		this.clock = clock;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
		Object header = payload.getOrDefault("Authorization", payload.get("authorization"));
		if (!(header instanceof String value) || !value.startsWith("Bearer ")) {
			return Mono.empty(); // anonymous: every operation will answer UNAUTHENTICATED
		}
		return Mono.fromCallable(() -> recognition.convert(decoder.decode(value.substring("Bearer ".length()).strip())))
				.subscribeOn(Schedulers.boundedElastic())
				.doOnNext(caller -> session.getAttributes().put(CALLER, caller))
				.onErrorMap(JwtException.class, e -> new IllegalStateException("Unauthorized"))
				.then(Mono.empty());
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, WebGraphQlInterceptor.Chain chain) {
		if (request instanceof WebSocketGraphQlRequest socket
				&& socket.getSessionInfo().getAttributes().get(CALLER) instanceof CallerAuthentication caller) {
			Instant expires = caller.getCredentials().getExpiresAt();
			if (expires != null && !clock.instant().isBefore(expires)) {
				return Mono.just(refused(request, "UNAUTHENTICATED", ErrorType.UNAUTHORIZED,
						"The token expired; connect again with a new one"));
			}
			double wait = buckets.take(caller.getPrincipal());
			if (wait > 0) {
				return Mono.just(refused(request, "RATE_LIMITED", ErrorType.BAD_REQUEST,
						"Too many requests from this caller; retry after " + (long) Math.ceil(wait) + " s"));
			}
			SecurityContext context = new SecurityContextImpl(caller);
			// restored as the thread's security context wherever a data fetcher runs
			return chain.next(request).contextWrite(ctx -> ctx.put(SecurityContext.class.getName(), context));
		}
		return chain.next(request);
	}

	/** An operation answered with one error and not run. */
	private static WebGraphQlResponse refused(WebGraphQlRequest request, String code, ErrorType type, String message) {
		GraphQLError error = GraphqlErrorBuilder.newError().errorType(type).message(message)
				.extensions(Map.of("code", code)).build();
		return new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(request.toExecutionInput(),
				ExecutionResult.newExecutionResult().addError(error).build()));
	}
}
