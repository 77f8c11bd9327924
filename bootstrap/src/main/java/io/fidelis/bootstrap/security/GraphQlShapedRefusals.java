package io.fidelis.bootstrap.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * A refused token answers 401 (403) with the standard {@code WWW-Authenticate} header and a body a
 * GraphQL client already knows how to read: {@code errors[0].extensions.code}.
 */
final class GraphQlShapedRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
	private final BearerTokenAccessDeniedHandler deniedHandler = new BearerTokenAccessDeniedHandler();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
			throws IOException {
		entryPoint.commence(request, response, e);
		write(response, "UNAUTHENTICATED", "The access token is missing, expired, or not valid for Fidelis");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
			throws IOException {
		deniedHandler.handle(request, response, e);
		write(response, "FORBIDDEN", "This caller may not use this endpoint");
	}

	private static void write(HttpServletResponse response, String code, String message) throws IOException {
		io.fidelis.bootstrap.graphql.RefusalBody.write(response, code, message);
	}
}
