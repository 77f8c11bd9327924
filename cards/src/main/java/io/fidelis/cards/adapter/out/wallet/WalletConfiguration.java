package io.fidelis.cards.adapter.out.wallet;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fidelis.cards.application.ApplePasses;
import io.fidelis.cards.application.GoogleWallet;
import io.fidelis.cards.application.PassPushes;
import io.fidelis.cards.application.DownloadLink;

/** The wallet adapters, built from {@code fidelis.cards.*}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CardsProperties.class)
class WalletConfiguration {

	private static final Logger log = LoggerFactory.getLogger(WalletConfiguration.class);

	@Bean
	WalletCredentials walletCredentials(CardsProperties properties, Clock clock) {
		return WalletCredentials.load(properties, clock);
	}

	@Bean
	ApplePasses applePasses(CardsProperties properties, WalletCredentials credentials) {
		return new JpasskitPasses(properties.apple().passTypeIdentifier(), properties.apple().teamIdentifier(),
				properties.publicUrl(), credentials);
	}

	@Bean
	PassPushes passPushes(CardsProperties properties, WalletCredentials credentials) {
		return properties.apple().apns().enabled()
				? new PushyPassPushes(properties.apple().apns(), properties.apple().teamIdentifier(), credentials)
				: new LoggedPassPushes();
	}

	@Bean
	GoogleWallet googleWallet(CardsProperties properties, WalletCredentials credentials, Clock clock) {
		return new RestGoogleWallet(properties.google(), credentials, properties.publicUrl(), clock);
	}

	/** Download links must survive restarts and work on every node: production sets the secret. */
	@Bean
	DownloadLink downloadLink(CardsProperties properties) {
		if (properties.linkSecret() == null || properties.linkSecret().isBlank()) {
			byte[] secret = new byte[32];
			new SecureRandom().nextBytes(secret);
			log.warn("fidelis.cards.link-secret is not set: pass download links work on this node until it restarts");
			return new DownloadLink(secret);
		}
		byte[] secret;
		try {
			secret = Base64.getDecoder().decode(properties.linkSecret().strip());
		}
		catch (IllegalArgumentException e) {
			secret = properties.linkSecret().getBytes(StandardCharsets.UTF_8);
		}
		if (secret.length < 32) {
			throw new IllegalStateException("fidelis.cards.link-secret must hold at least 32 bytes (e.g. openssl rand -base64 32)");
		}
		return new DownloadLink(secret);
	}
}
