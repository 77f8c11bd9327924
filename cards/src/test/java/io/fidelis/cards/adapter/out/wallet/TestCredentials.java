package io.fidelis.cards.adapter.out.wallet;

import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;

/** A throw-away CA (standing in for Apple's WWDR), a pass certificate it issued, and a Google key. */
final class TestCredentials {

	static final String PASS_TYPE = "pass.io.fidelis.test";
	static final String TEAM = "TEAMID1234";

	final DevelopmentCredentials.Issued ca;
	final DevelopmentCredentials.Issued pass;
	final java.security.KeyPair google = DevelopmentCredentials.rsa();

	TestCredentials() {
		Instant now = Instant.now();
		ca = DevelopmentCredentials.authority("Test WWDR", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
		pass = DevelopmentCredentials.passCertificate(ca, PASS_TYPE, TEAM, now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(30)));
	}

	WalletCredentials wallet() {
		return new WalletCredentials(pass.certificate(), pass.key(), ca.certificate(), (RSAPrivateKey) google.getPrivate(),
				true, Instant.now());
	}
}
