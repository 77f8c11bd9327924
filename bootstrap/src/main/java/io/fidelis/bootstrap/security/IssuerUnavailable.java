package io.fidelis.bootstrap.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When the OIDC issuer cannot be reached to fetch its keys, a token can be neither accepted nor
 * refused: the caller hears 503 UNAVAILABLE and may retry, instead of a bare 500.
 */
final class IssuerUnavailable extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(IssuerUnavailable.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (AuthenticationServiceException | JwtDecoderInitializationException e) {
			log.warn("Cannot validate a token: {}", e.getMessage());
			if (response.isCommitted()) {
				throw e;
			}
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader("Retry-After", "5");
			io.fidelis.bootstrap.graphql.RefusalBody.write(response, "UNAVAILABLE",
					"The identity provider cannot be reached to check the token; retry shortly");
		}
	}
}
