package io.fidelis.bootstrap.security;

import java.time.Duration;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Remembers the tokens whose signature it checked, so that a till sending the same token all
 * day pays the RSA check, the JWK lookup and the claim parsing once, not on every request.
 *
 * <p>What a remembered token still goes through on every request: the validators (expiry and
 * not-before with the usual minute of clock skew, issuer, audience), so an expired token is
 * refused on its first request after expiry exactly as before. A forged token is another string,
 * so it is never found here and is checked in full. An entry lives at most {@code rememberedFor}
 * (5 minutes by default, as long as the decoder keeps the issuer's key set): a signing key the
 * issuer withdraws stops being honoured within that time, as it does without this cache.
 */
final class VerifiedTokens implements JwtDecoder {

	private final JwtDecoder verifying;
	private final OAuth2TokenValidator<Jwt> validator;
	private final Cache<String, Jwt> verified;

	/**
	 * @param verifying checks signature and claims (and runs {@code validator} itself)
	 * @param validator the same validators, run again on every remembered token
	 */
	VerifiedTokens(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, int remembered, Duration rememberedFor) {
		this(verifying, validator, remembered, rememberedFor, Ticker.systemTicker());
	}

	/** @param ticker the time entries age by (a test's own) */
	VerifiedTokens(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, int remembered, Duration rememberedFor,
			Ticker ticker) {
		this.verifying = verifying;
		this.validator = validator;
		this.verified = Caffeine.newBuilder().maximumSize(remembered).expireAfterWrite(rememberedFor).ticker(ticker)
				.recordStats().build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt known = verified.getIfPresent(token);
		if (known == null) {
			Jwt jwt = verifying.decode(token); // throws on a bad signature or claims: nothing remembered
			verified.put(token, jwt);
			return jwt;
		}
		OAuth2TokenValidatorResult result = validator.validate(known);
		if (result.hasErrors()) {
			verified.invalidate(token);
			String description = result.getErrors().iterator().next().getDescription();
			throw new JwtValidationException("An error occurred while attempting to decode the Jwt: " + description,
					result.getErrors());
		}
		return known;
	}

	/** For the cache's metrics (hits, misses, size). */
	Cache<String, Jwt> cache() {
		return verified;
	}
}
