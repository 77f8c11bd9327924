package io.fidelis.bootstrap.security;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Fidelis is an OAuth2 resource server. Tokens are validated by the issuer's discovery document
 * and JWKS, issuer, expiry and audience, whether the issuer is a production one or the
 * development issuer. What each caller may do is decided per operation (method security).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties({ SecurityProperties.class, RateLimitProperties.class })
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	SecurityFilterChain api(HttpSecurity http, SecurityProperties properties, CallerBuckets buckets,
			MeterRegistry registry)
			throws Exception {
		GraphQlShapedRefusals refusals = new GraphQlShapedRefusals();
		http.csrf(csrf -> csrf.disable())
				.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.authorizeHttpRequests(requests -> requests
						.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
								"/actuator/prometheus").permitAll()
						.requestMatchers("/actuator/**").hasRole("STAFF_ADMIN")
						// every GraphQL operation states its callers itself; anonymous ones are refused there
						.requestMatchers("/graphql", "/graphql-ws", "/graphiql", "/graphiql/**").permitAll()
						// the schema's text is served only while introspection is on; the development home page
						.requestMatchers("/graphql/schema", "/").permitAll()
						.requestMatchers(DevelopmentIssuer.PATH + "/**").permitAll()
						.requestMatchers("/error").permitAll()
						// the dashboard's page and scripts hold no data; it reads the API with a staff token
						.requestMatchers("/dashboard", "/dashboard/**", "/webjars/**").permitAll()
						// Apple's PassKit web service authenticates with the pass's own token ("ApplePass …"),
						// pass downloads and the member's card page with a signed link that expires, and card
						// logos are public
						.requestMatchers("/passkit/**", "/cards/passes/**", "/cards/page/**", "/cards/images/**").permitAll()
						.anyRequest().authenticated())
				.exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
				.addFilterBefore(new IssuerUnavailable(), BearerTokenAuthenticationFilter.class)
				.addFilterAfter(new RateLimiting(buckets, registry), BearerTokenAuthenticationFilter.class)
				.oauth2ResourceServer(server -> server
						.bearerTokenResolver(new BearerTokens())
						.jwt(jwt -> jwt.jwtAuthenticationConverter(new CallerRecognition(properties.rolesClaim())))
						.authenticationEntryPoint(refusals)
						.accessDeniedHandler(refusals));
		return http.build();
	}

	/**
	 * With Spring Security's observations off ({@code management.observations.enable.spring.security},
	 * false in application.yml), its filters and managers are not wrapped at all: the property alone
	 * only makes each observation a no-op, after a wrapper per filter per request has asked for it
	 * (1.5 % of the node's samples under load, docs/benchmarks/request-path-steps.md, step 4).
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(name = "management.observations.enable.spring.security", havingValue = false)
	org.springframework.security.config.observation.SecurityObservationSettings noSecurityObservations() {
		return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
	}

	/** The stock firewall, reading header values without a regular expression (see {@link BearerTokens}). */
	@Bean
	org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer firewall() {
		return web -> web.httpFirewall(BearerTokens.firewall());
	}

	@Bean
	@ConditionalOnExpression(DevelopmentIssuer.ENABLED)
	DevelopmentIssuer developmentIssuer(Environment environment, SecurityProperties properties, Clock clock) {
		log.warn("No OIDC issuer configured (FIDELIS_OIDC_ISSUER_URI): Fidelis issues its own development tokens "
				+ "at {}/token. Never run like this in production.", DevelopmentIssuer.PATH);
		return new DevelopmentIssuer(environment, properties.audience(), properties.devIssuer().tokenLifetime(), clock);
	}

	/** The rate limits' buckets, one per caller, shared by HTTP requests and WebSocket operations. */
	@Bean
	CallerBuckets callerBuckets(RateLimitProperties limits) {
		return new CallerBuckets(limits);
	}

	@Bean
	WebSocketAuthentication webSocketAuthentication(JwtDecoder decoder, SecurityProperties properties,
			CallerBuckets buckets, Clock clock) {
		return new WebSocketAuthentication(decoder, new CallerRecognition(properties.rolesClaim()), buckets, clock);
	}

	/** Spring GraphQL's graphql-ws handler (as Spring Boot builds it), closing connections whose token expired. */
	@Bean
	AuthenticatedWebSockets graphQlWebSocketHandler(org.springframework.graphql.server.WebGraphQlHandler handler,
			org.springframework.boot.graphql.autoconfigure.GraphQlProperties graphQl,
			org.springframework.boot.graphql.autoconfigure.GraphQlCorsProperties cors,
			org.springframework.beans.factory.ObjectProvider<org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer> customizers,
			Clock clock) {
		org.springframework.http.converter.HttpMessageConverter<Object> json = io.fidelis.bootstrap.graphql.ParsedOnce
				.jsonConverter(customizers);
		return new AuthenticatedWebSockets(handler, json, graphQl.getWebsocket().getConnectionInitTimeout(),
				graphQl.getWebsocket().getKeepAlive(), cors.toCorsConfiguration(), clock);
	}

	/**
	 * Resolved on first use, not at start-up, so that Fidelis starts while the issuer is briefly
	 * unreachable, and so that the development issuer is asked once this node's port is known.
	 */
	@Bean
	JwtDecoder jwtDecoder(SecurityProperties properties, org.springframework.beans.factory.ObjectProvider<DevelopmentIssuer> dev,
			org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
		if (properties.usesDevIssuer() && dev.getIfAvailable() == null) {
			throw new IllegalStateException("No OIDC issuer is configured: set FIDELIS_OIDC_ISSUER_URI "
					+ "(fidelis.security.issuer-uri) to the issuer of your identity provider");
		}
		java.util.function.Supplier<String> issuerOf = () -> properties.usesDevIssuer() ? dev.getObject().issuer()
				: properties.issuerUri();
		JwtDecoder resolved = new SupplierJwtDecoder(() -> {
			String issuer = issuerOf.get();
			NimbusJwtDecoder decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuer);
			OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>("aud",
					aud -> aud != null && aud.contains(properties.audience()));
			OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
					JwtValidators.createDefaultWithIssuer(issuer), audience);
			decoder.setJwtValidator(validator);
			SecurityProperties.Tokens tokens = properties.tokens();
			if (tokens.remembered() == 0) {
				return decoder;
			}
			VerifiedTokens verified = new VerifiedTokens(decoder, validator, tokens.remembered(), tokens.rememberedFor());
			registry.ifAvailable(r -> io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(r,
					verified.cache(), "verified_tokens"));
			return verified;
		});
		return token -> {
			try {
				return resolved.decode(token);
			}
			catch (org.springframework.security.oauth2.jwt.JwtDecoderInitializationException e) {
				// this issuer's keys cannot be fetched, so its tokens can be neither accepted nor refused (503);
				// a token that names another issuer, or none, is refused all the same (401)
				if (!issuerOf.get().equals(unverifiedIssuer(token))) {
					throw new org.springframework.security.oauth2.jwt.BadJwtException(
							"The token was not issued by this installation's issuer", e);
				}
				throw e;
			}
		};
	}

	/** The {@code iss} a token claims, before anything about it is checked; null when it cannot be read. */
	private static String unverifiedIssuer(String token) {
		try {
			return com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (java.text.ParseException | RuntimeException e) {
			return null;
		}
	}
}
