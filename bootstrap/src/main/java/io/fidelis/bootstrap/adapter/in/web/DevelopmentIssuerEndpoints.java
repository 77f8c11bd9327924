package io.fidelis.bootstrap.adapter.in.web;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fidelis.bootstrap.security.DevelopmentIssuer;
import io.fidelis.bootstrap.security.DevelopmentIssuer.TokenRequest;

/**
 * The development issuer's HTTP face: OIDC discovery, JWKS, and a token endpoint that answers
 * OAuth2-style JSON, or the bare token with {@code Accept: text/plain} for shell one-liners.
 */
@RestController
@RequestMapping(DevelopmentIssuer.PATH)
@ConditionalOnExpression(DevelopmentIssuer.ENABLED)
class DevelopmentIssuerEndpoints {

	private final DevelopmentIssuer issuer;

	DevelopmentIssuerEndpoints(DevelopmentIssuer issuer) {
		this.issuer = issuer;
	}

	@GetMapping(path = "/.well-known/openid-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> discovery() {
		return issuer.discovery();
	}

	@GetMapping(path = "/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> jwks() {
		return issuer.jwks();
	}

	@PostMapping("/token")
	ResponseEntity<?> token(@RequestParam(defaultValue = "staff") String caller,
			@RequestParam(required = false) String subject, @RequestParam(required = false) String roles,
			@RequestParam(required = false) String scope, @RequestParam(required = false) String programs,
			@RequestParam(name = "expires_in", required = false) Long seconds,
			@RequestHeader(name = "Accept", defaultValue = "application/json") String accept) {
		TokenRequest request;
		try {
			if (seconds != null && (seconds < 1 || seconds > 86_400)) {
				throw new IllegalArgumentException("expires_in must be between 1 and 86400 seconds");
			}
			request = TokenRequest.of(caller, subject, roles, scope, programs,
					seconds == null ? null : Duration.ofSeconds(seconds));
		}
		catch (IllegalArgumentException e) {
			return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("error", "invalid_request", "error_description", e.getMessage()));
		}
		String token = issuer.token(request);
		if (accept.startsWith(MediaType.TEXT_PLAIN_VALUE)) {
			return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(token + "\n");
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("access_token", token,
				"token_type", "Bearer", "expires_in", issuer.lifetime(request).toSeconds()));
	}
}
