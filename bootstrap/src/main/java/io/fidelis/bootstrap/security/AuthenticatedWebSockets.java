package io.fidelis.bootstrap.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlWebSocketHandler;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Spring GraphQL's graphql-ws handler, with the caller of the token sent in {@code connection_init}
 * ({@link WebSocketAuthentication}) made the security context of every later message, and the
 * connection closed when that token expires (graphql-ws close code 4401).
 *
 * <p>Why the first: Spring GraphQL runs each message with the thread-bound values it captured
 * when the socket was opened, and the opening HTTP request carries no token (browsers cannot set
 * headers on a WebSocket), so its security context is anonymous: method security then refused
 * every query and mutation over a socket. Once the caller is known, that capture is taken again
 * with the caller's security context in it.
 *
 * <p>Why the second: its subscriptions end then, rather than go on updating a caller whose token
 * is no longer valid; {@link WebSocketAuthentication} refuses new operations from that moment on.
 */
final class AuthenticatedWebSockets extends GraphQlWebSocketHandler implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(AuthenticatedWebSockets.class);
	static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4401, "Token expired");
	private static final String CLOSING = AuthenticatedWebSockets.class.getName() + ".closing";

	/** Where Spring GraphQL keeps the values captured when the socket opened (its handshake interceptor's key). */
	private static final String CAPTURED = ContextSnapshot.class.getName();
	private static final String RECAPTURED = AuthenticatedWebSockets.class.getName() + ".recaptured";

	private final ContextSnapshotFactory snapshots;
	private final Clock clock;
	private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread thread = new Thread(r, "websocket-expiry");
		thread.setDaemon(true);
		return thread;
	});

	AuthenticatedWebSockets(WebGraphQlHandler handler, HttpMessageConverter<Object> converter, Duration initTimeout,
			Duration keepAlive, CorsConfiguration cors, Clock clock) {
		super(handler, converter, initTimeout, keepAlive, cors);
		this.snapshots = handler.contextSnapshotFactory();
		this.clock = clock;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
		if (!session.getAttributes().containsKey(RECAPTURED)
				&& session.getAttributes().get(WebSocketAuthentication.CALLER) instanceof CallerAuthentication caller
				&& session.getAttributes().get(CAPTURED) instanceof ContextSnapshot opened) {
			session.getAttributes().put(CAPTURED, withCaller(opened, caller));
			session.getAttributes().put(RECAPTURED, Boolean.TRUE);
		}
		super.handleTextMessage(session, message);
		// the caller is known from the first operation on (connection_init is checked asynchronously)
		if (!session.getAttributes().containsKey(CLOSING)
				&& session.getAttributes().get(WebSocketAuthentication.CALLER) instanceof CallerAuthentication caller) {
			Instant expires = caller.getCredentials().getExpiresAt();
			if (expires != null) {
				long delay = Math.max(0, Duration.between(clock.instant(), expires).toMillis());
				session.getAttributes().put(CLOSING, closer.schedule(() -> close(session), delay, TimeUnit.MILLISECONDS));
			}
		}
	}

	/** The values captured when the socket opened, with the caller as the security context. */
	private ContextSnapshot withCaller(ContextSnapshot opened, CallerAuthentication caller) {
		SecurityContext previous = SecurityContextHolder.getContext();
		try (ContextSnapshot.Scope scope = opened.setThreadLocals()) {
			SecurityContextHolder.setContext(new SecurityContextImpl(caller));
			return snapshots.captureAll();
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

	private static void close(WebSocketSession session) {
		if (session.isOpen()) {
			try {
				session.close(TOKEN_EXPIRED);
			}
			catch (IOException e) {
				log.debug("A WebSocket whose token expired could not be closed cleanly: {}", e.toString());
			}
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		if (session.getAttributes().get(CLOSING) instanceof ScheduledFuture<?> closing) {
			closing.cancel(false);
		}
		super.afterConnectionClosed(session, status);
	}

	@Override
	public void close() {
		closer.shutdownNow();
	}
}
