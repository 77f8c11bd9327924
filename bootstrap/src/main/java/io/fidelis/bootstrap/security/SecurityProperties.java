package io.fidelis.bootstrap.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers are recognised.
 *
 * @param issuerUri   the OIDC issuer whose tokens Fidelis accepts (Keycloak, Auth0, Entra, ...);
 *                    blank in development, where Fidelis is its own issuer
 * @param audience    the audience every token must name
 * @param rolesClaim  claim holding staff roles; a dotted path such as {@code realm_access.roles} works
 * @param devIssuer   the development issuer, used only when {@code issuerUri} is blank
 * @param tokens      how many verified tokens are remembered, and for how long
 */
@ConfigurationProperties("fidelis.security")
record SecurityProperties(String issuerUri, @DefaultValue("fidelis-api") String audience,
		@DefaultValue("roles") String rolesClaim, @DefaultValue DevIssuer devIssuer, @DefaultValue Tokens tokens) {

	/** @param enabled whether Fidelis may mint its own tokens; never in production */
	record DevIssuer(@DefaultValue("true") boolean enabled, @DefaultValue("PT1H") java.time.Duration tokenLifetime) {
	}

	/**
	 * @param remembered    tokens whose signature was checked, kept so that the next request with
	 *                      one skips the RSA check (0: check every request in full)
	 * @param rememberedFor how long at most: a signing key the issuer withdraws is still honoured
	 *                      this long for tokens already seen (the issuer's key set is cached as long)
	 */
	record Tokens(@DefaultValue("10000") int remembered, @DefaultValue("PT5M") java.time.Duration rememberedFor) {
		Tokens {
			if (remembered < 0 || rememberedFor.isNegative() || rememberedFor.isZero()) {
				throw new IllegalArgumentException("fidelis.security.tokens: remembered is 0 or more, remembered-for positive");
			}
		}
	}

	boolean usesDevIssuer() {
		return issuerUri == null || issuerUri.isBlank();
	}
}
