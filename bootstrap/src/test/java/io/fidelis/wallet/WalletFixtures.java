package io.fidelis.wallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.fidelis.cards.adapter.out.wallet.DevelopmentCredentials;

/**
 * Wallet credentials as production has them, but throw-away: a CA standing in for Apple's WWDR
 * (it also issues the local APNs server's TLS certificate), a Pass Type ID certificate, and a
 * Google service-account key, written to PEM files that Fidelis loads through configuration.
 */
public final class WalletFixtures {

	public static final String PASS_TYPE = "pass.io.fidelis.test";
	public static final String TEAM = "TEAMID1234";
	public static final String SERVICE_ACCOUNT = "wallet@fidelis-test.iam.gserviceaccount.com";

	public final DevelopmentCredentials.Issued ca;
	public final DevelopmentCredentials.Issued pass;
	public final DevelopmentCredentials.Issued apnsServer;
	public final KeyPair google = DevelopmentCredentials.rsa();
	public final Path dir;

	public WalletFixtures() {
		Instant now = Instant.now();
		ca = DevelopmentCredentials.authority("Test WWDR", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
		pass = DevelopmentCredentials.passCertificate(ca, PASS_TYPE, TEAM, now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(30)));
		apnsServer = DevelopmentCredentials.serverCertificate(ca, "localhost", now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(30)));
		try {
			dir = Files.createTempDirectory("fidelis-wallet");
			Files.writeString(dir.resolve("wwdr.pem"), ca.certificatePem());
			Files.writeString(dir.resolve("pass.pem"), pass.certificatePem());
			Files.writeString(dir.resolve("pass-key.pem"), pass.keyPem());
			Files.writeString(dir.resolve("google-key.pem"), DevelopmentCredentials.pem(google.getPrivate()));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public RSAPublicKey googlePublicKey() {
		return (RSAPublicKey) google.getPublic();
	}

	/** {@code fidelis.cards.*} for a Fidelis that talks to these stand-ins. */
	public Map<String, String> properties(ApnsMock apns, GoogleWalletStub googleStub) {
		return Map.ofEntries(Map.entry("fidelis.cards.generate-development-credentials", "false"),
				Map.entry("fidelis.cards.public-url", "https://loyalty.example.com"),
				Map.entry("fidelis.cards.link-secret", "dGhpcnR5LXR3by1ieXRlcy1vZi10ZXN0LXNlY3JldC0xMjM0"),
				Map.entry("fidelis.cards.apple.pass-type-identifier", PASS_TYPE),
				Map.entry("fidelis.cards.apple.team-identifier", TEAM),
				Map.entry("fidelis.cards.apple.certificate", "file:" + dir.resolve("pass.pem")),
				Map.entry("fidelis.cards.apple.private-key", "file:" + dir.resolve("pass-key.pem")),
				Map.entry("fidelis.cards.apple.wwdr-certificate", "file:" + dir.resolve("wwdr.pem")),
				Map.entry("fidelis.cards.apple.apns.enabled", "true"),
				Map.entry("fidelis.cards.apple.apns.host", "localhost"),
				Map.entry("fidelis.cards.apple.apns.port", Integer.toString(apns.port())),
				Map.entry("fidelis.cards.apple.apns.trusted-server-certificate", "file:" + dir.resolve("wwdr.pem")),
				Map.entry("fidelis.cards.google.issuer-id", "3388000000012345678"),
				Map.entry("fidelis.cards.google.service-account-email", SERVICE_ACCOUNT),
				Map.entry("fidelis.cards.google.private-key", "file:" + dir.resolve("google-key.pem")),
				Map.entry("fidelis.cards.google.origins", "https://shop.example.com"),
				Map.entry("fidelis.cards.google.updates-enabled", "true"),
				Map.entry("fidelis.cards.google.api-url", googleStub.apiUrl()),
				Map.entry("fidelis.cards.google.token-url", googleStub.tokenUrl()));
	}
}
