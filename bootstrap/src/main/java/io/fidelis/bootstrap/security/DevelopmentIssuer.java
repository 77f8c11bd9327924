package io.fidelis.bootstrap.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.core.env.Environment;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A small OIDC issuer for development: a fresh RSA key per start, a discovery document, a JWKS
 * and a token endpoint. Fidelis validates its tokens exactly as it validates a production
 * issuer's (discovery, JWKS signature, issuer, expiry, audience); there is no bypass. Tokens do
 * not survive a restart, because the key does not.
 */
public final class DevelopmentIssuer {

	public static final String PATH = "/dev-issuer";

	/** Only without a configured issuer, and never where it is switched off (the prod profile). */
	public static final String ENABLED = "'${fidelis.security.issuer-uri:}'.isBlank() and ${fidelis.security.dev-issuer.enabled:true}";

	/** Demo integration client, with the scopes a till or web shop needs. */
	static final String POS_CLIENT = "pos-demo";
	static final Set<String> POS_SCOPES = Set.of("members:read", "members:write", "points:read", "points:write");

	private final RSAKey key;
	private final Environment environment;
	private final String audience;
	private final Duration lifetime;
	private final Clock clock;

	DevelopmentIssuer(Environment environment, String audience, Duration lifetime, Clock clock) {
		try {
			this.key = new RSAKeyGenerator(2048).keyID("dev-" + UUID.randomUUID()).generate();
		}
		catch (JOSEException e) {
			throw new IllegalStateException("Cannot generate the development signing key", e);
		}
		this.environment = environment;
		this.audience = audience;
		this.lifetime = lifetime;
		this.clock = clock;
	}

	/** The issuer URL, on the port this node's web server listens on. */
	public String issuer() {
		String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
		return "http://localhost:" + port + PATH;
	}

	public Map<String, Object> discovery() {
		String issuer = issuer();
		return Map.of("issuer", issuer, "jwks_uri", issuer + "/jwks", "token_endpoint", issuer + "/token",
				"id_token_signing_alg_values_supported", List.of("RS256"), "response_types_supported",
				List.of("token"), "subject_types_supported", List.of("public"), "grant_types_supported",
				List.of("client_credentials"));
	}

	public Map<String, Object> jwks() {
		return new JWKSet(key.toPublicJWK()).toJSONObject();
	}

	public Duration lifetime(TokenRequest request) {
		return request.lifetime() == null ? lifetime : request.lifetime();
	}

	/** A signed token for one kind of caller. */
	public String token(TokenRequest request) {
		Instant now = clock.instant();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer())
				.audience(request.audience() == null ? audience : request.audience())
				.issueTime(Date.from(now)).notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plus(lifetime(request))))
				.jwtID(UUID.randomUUID().toString());
		switch (request.kind()) {
			case STAFF -> {
				claims.subject(request.subject()).claim("roles", List.copyOf(request.roles()));
				if (!request.programs().isEmpty()) {
					claims.claim("programs", List.copyOf(request.programs()));
				}
			}
			case MEMBER -> claims.subject(request.subject()).claim("scope", "member");
			case INTEGRATION -> {
				claims.subject(request.subject()).claim("client_id", request.subject())
						.claim("scope", String.join(" ", request.scopes()));
				if (!request.programs().isEmpty()) {
					claims.claim("programs", List.copyOf(request.programs()));
				}
			}
		}
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
					claims.build());
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException e) {
			throw new IllegalStateException("Cannot sign a development token", e);
		}
	}

	public enum Kind { STAFF, MEMBER, INTEGRATION }

	/**
	 * What to put in a token. Built from the friendly form parameters of the token endpoint:
	 * {@code caller=staff|pos|member}, {@code subject}, {@code roles}, {@code scope}.
	 */
	public record TokenRequest(Kind kind, String subject, Set<String> roles, Set<String> scopes, Duration lifetime,
			String audience, Set<String> programs) {

		public TokenRequest {
			programs = programs == null ? Set.of() : Set.copyOf(programs);
		}

		/** The same request for another audience (an issuer serves many APIs; Fidelis must refuse the others'). */
		public TokenRequest forAudience(String otherAudience) {
			return new TokenRequest(kind, subject, roles, scopes, lifetime, otherAudience, programs);
		}

		public static TokenRequest of(String caller, String subject, String roles, String scope, Duration lifetime) {
			return of(caller, subject, roles, scope, null, lifetime);
		}

		/** {@code programs}: for staff and clients, the programs they reach (comma separated); all when blank. */
		public static TokenRequest of(String caller, String subject, String roles, String scope, String programs,
				Duration lifetime) {
			Set<String> visible = programs == null || programs.isBlank() ? Set.of() : Set.of(programs.strip().split("[\\s,]+"));
			String who = caller == null ? "" : caller.strip().toLowerCase();
			return switch (who) {
				case "staff" -> {
					Set<String> r = roles == null || roles.isBlank() ? Set.of("admin") : words(roles);
					if (!CallerRecognition.STAFF_ROLES.containsAll(r)) {
						throw new IllegalArgumentException("roles must be among " + CallerRecognition.STAFF_ROLES);
					}
					yield new TokenRequest(Kind.STAFF, text(subject, "staff-admin"), r, Set.of(), lifetime, null, visible);
				}
				case "member" -> new TokenRequest(Kind.MEMBER, text(subject, "member-demo"), Set.of(), Set.of(), lifetime, null, null);
				case "pos", "integration" -> new TokenRequest(Kind.INTEGRATION, text(subject, POS_CLIENT), Set.of(),
						scope == null || scope.isBlank() ? POS_SCOPES : words(scope), lifetime, null, visible);
				default -> throw new IllegalArgumentException("caller must be staff, pos or member");
			};
		}

		private static Set<String> words(String text) {
			return Set.of(text.strip().toLowerCase().split("[\\s,]+"));
		}

		private static String text(String value, String fallback) {
			if (value == null || value.isBlank()) {
				return fallback;
			}
			if (!value.matches("[A-Za-z0-9._@:-]{1,100}")) {
				throw new IllegalArgumentException("subject must be 1 to 100 letters, digits or . _ @ : -");
			}
			return value;
		}
	}
}
