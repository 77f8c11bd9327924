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
 */
@ConfigurationProperties("fidelis.security")
record SecurityProperties(String issuerUri, @DefaultValue("fidelis-api") String audience,
		@DefaultValue("roles") String rolesClaim, @DefaultValue DevIssuer devIssuer) {

	/** @param enabled whether Fidelis may mint its own tokens; never in production */
	record DevIssuer(@DefaultValue("true") boolean enabled, @DefaultValue("PT1H") java.time.Duration tokenLifetime) {
	}

	boolean usesDevIssuer() {
		return issuerUri == null || issuerUri.isBlank();
	}
}
