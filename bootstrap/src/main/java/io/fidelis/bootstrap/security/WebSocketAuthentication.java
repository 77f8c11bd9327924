package io.fidelis.bootstrap.security;

import java.util.Map;

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

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Browsers cannot set headers on a WebSocket, so graphql-ws clients send the token in the
 * {@code connection_init} payload ({@code {"Authorization": "Bearer …"}}). It is validated exactly
 * like a header token; an invalid one closes the connection (4401), and the caller then applies
 * to every subscription of the connection.
 */
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE) // first: the others see its caller
final class WebSocketAuthentication implements WebSocketGraphQlInterceptor {

	private static final String CALLER = WebSocketAuthentication.class.getName() + ".caller";

	private final JwtDecoder decoder;
	private final CallerRecognition recognition;

	WebSocketAuthentication(JwtDecoder decoder, CallerRecognition recognition) {
		this.decoder = decoder;
		this.recognition = recognition;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
		Object header = payload.getOrDefault("Authorization", payload.get("authorization"));
		if (!(header instanceof String value) || !value.startsWith("Bearer ")) {
			return Mono.empty(); // anonymous: every subscription will answer UNAUTHENTICATED
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
			SecurityContext context = new SecurityContextImpl(caller);
			// restored as the thread's security context wherever a data fetcher runs
			return chain.next(request).contextWrite(ctx -> ctx.put(SecurityContext.class.getName(), context));
		}
		return chain.next(request);
	}
}
