package io.fidelis.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import io.fidelis.ledger.MovableClock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** A remembered token skips the signature check, and nothing else. */
class VerifiedTokensTest {

	private static final String ISSUER = "https://issuer.example";
	private static final String AUDIENCE = "fidelis-api";

	private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
	private final AtomicLong ticker = new AtomicLong();
	private final AtomicInteger signatureChecks = new AtomicInteger();
	private RSAKey key;
	private VerifiedTokens tokens;

	@BeforeEach
	void issuer() throws Exception {
		key = new RSAKeyGenerator(2048).keyID("k1").generate();
		tokens = tokensTrusting(key);
	}

	private VerifiedTokens tokensTrusting(RSAKey trusted) throws Exception {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(); // the usual minute of skew
		timestamps.setClock(clock);
		OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtIssuerValidator(ISSUER), new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(AUDIENCE)));
		NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(trusted.toRSAPublicKey()).build();
		nimbus.setJwtValidator(validator);
		JwtDecoder counting = token -> {
			signatureChecks.incrementAndGet();
			return nimbus.decode(token);
		};
		return new VerifiedTokens(counting, validator, 100, Duration.ofMinutes(5), ticker::get);
	}

	@Test
	void aTokenSeenBeforeIsNotCheckedAgainButAnswersTheSameClaims() throws Exception {
		String token = token(key, "pos-demo", AUDIENCE, ISSUER, Duration.ofHours(1));

		Jwt first = tokens.decode(token);
		Jwt second = tokens.decode(token);

		assertThat(second.getSubject()).isEqualTo("pos-demo").isEqualTo(first.getSubject());
		assertThat(second.getClaimAsStringList("aud")).containsExactly(AUDIENCE);
		assertThat(signatureChecks).hasValue(1);
	}

	@Test
	void aTokenAcceptedAMomentAgoIsRefusedOnceItExpires() throws Exception {
		String token = token(key, "pos-demo", AUDIENCE, ISSUER, Duration.ofMinutes(2));
		tokens.decode(token);

		clock.advance(Duration.ofMinutes(2).plusSeconds(59)); // expired, inside the minute of skew: as without the cache
		assertThat(tokens.decode(token).getSubject()).isEqualTo("pos-demo");
		clock.advance(Duration.ofSeconds(2));

		assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
		assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
		assertThat(signatureChecks).as("the second refusal checked it in full: it was forgotten").hasValue(2);
	}

	@Test
	void aForgedCopyOfAnAcceptedTokenIsCheckedInFullAndRefused() throws Exception {
		String token = token(key, "pos-demo", AUDIENCE, ISSUER, Duration.ofHours(1));
		tokens.decode(token);
		String[] parts = token.split("\\.");
		String otherClaims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("pos-demo", "pos-evil");
		String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherClaims.getBytes())
				+ "." + parts[2];

		assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
		assertThatThrownBy(() -> tokens.decode(token(stranger, "pos-demo", AUDIENCE, ISSUER, Duration.ofHours(1))))
				.isInstanceOf(JwtException.class);
		assertThat(tokens.decode(token).getSubject()).isEqualTo("pos-demo");
	}

	@Test
	void tokensForAnotherAudienceOrFromAnotherIssuerAreRefusedEveryTime() throws Exception {
		tokens.decode(token(key, "pos-demo", AUDIENCE, ISSUER, Duration.ofHours(1)));
		String foreign = token(key, "pos-demo", "another-api", ISSUER, Duration.ofHours(1));
		String elsewhere = token(key, "pos-demo", AUDIENCE, "https://other-issuer.example", Duration.ofHours(1));

		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> tokens.decode(foreign)).isInstanceOf(JwtException.class);
			assertThatThrownBy(() -> tokens.decode(elsewhere)).isInstanceOf(JwtException.class);
		}
		assertThat(signatureChecks).as("refused tokens are never remembered").hasValue(5);
	}

	/** So a signing key the issuer withdraws is honoured no longer than that for tokens already seen. */
	@Test
	void aRememberedTokenIsCheckedInFullAgainOnceRememberedForHasPassed() throws Exception {
		String token = token(key, "pos-demo", AUDIENCE, ISSUER, Duration.ofHours(1));
		tokens.decode(token);
		ticker.addAndGet(Duration.ofMinutes(4).toNanos());
		tokens.decode(token);
		assertThat(signatureChecks).hasValue(1);

		ticker.addAndGet(Duration.ofMinutes(1).plusSeconds(1).toNanos());
		tokens.decode(token);

		assertThat(signatureChecks).hasValue(2);
	}

	private String token(RSAKey signer, String subject, String audience, String issuer, Duration lifetime) throws Exception {
		Instant now = clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
				.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime))).claim("client_id", subject).build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(signer));
		return jwt.serialize();
	}
}
