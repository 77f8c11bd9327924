package io.fidelis.wallet;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;

/**
 * pushy's mock APNs server over HTTP/2 and TLS, trusting only clients whose certificate the test
 * CA issued (as Apple trusts only Pass Type ID certificates). It records every push it accepts;
 * tokens starting with "dead" are answered as Apple answers a removed pass (410 Unregistered).
 */
public final class ApnsMock implements AutoCloseable {

	public record Push(String token, String topic, String payload, String pushType, String priority) {
	}

	public final List<Push> accepted = new CopyOnWriteArrayList<>();
	private final MockApnsServer server;
	private final int port;

	public ApnsMock(WalletFixtures fixtures) {
		try {
			server = new MockApnsServerBuilder()
					.setServerCredentials(new X509Certificate[] { fixtures.apnsServer.certificate() },
							fixtures.apnsServer.key(), null)
					.setTrustedClientCertificateChain(new ByteArrayInputStream(
							fixtures.ca.certificatePem().getBytes(StandardCharsets.US_ASCII)))
					.setHandlerFactory(session -> (headers, payload) -> {
						CharSequence authorization = headers.get("authorization");
						if (authorization != null) {
							token(authorization.toString(), String.valueOf(headers.get("apns-topic")));
						}
						else {
						// as APNs: only a certificate the CA issued, and only for its own pass type (UID)
						X509Certificate client = clientCertificate(session);
						if (client == null || !issuedBy(client, fixtures.ca.certificate())) {
							throw new RejectedNotificationException(RejectionReason.BAD_CERTIFICATE);
						}
						if (!client.getSubjectX500Principal().getName().contains("UID=" + headers.get("apns-topic"))
								&& !client.getSubjectX500Principal().getName().contains("0.9.2342.19200300.100.1.1="
										+ hex(String.valueOf(headers.get("apns-topic"))))) {
							throw new RejectedNotificationException(RejectionReason.TOPIC_DISALLOWED);
						}
						}
						String path = headers.path().toString();
						String token = path.substring(path.lastIndexOf('/') + 1);
						if (token.startsWith("dead")) {
							throw new UnregisteredDeviceTokenException(Instant.now());
						}
						accepted.add(new Push(token, String.valueOf(headers.get("apns-topic")),
								payload == null ? "" : payload.toString(StandardCharsets.UTF_8),
								String.valueOf(headers.get("apns-push-type")), String.valueOf(headers.get("apns-priority"))));
					}).build();
			port = (Integer) server.start(0).get(10, TimeUnit.SECONDS);
		}
		catch (Exception e) {
			throw new IllegalStateException("The mock APNs server did not start", e);
		}
	}

	/** A signing key APNs knows: its team, and the topics (pass types) that team owns. */
	public record SigningKey(String teamId, java.security.interfaces.ECPublicKey key, java.util.Set<String> topics) {
	}

	/** Signing keys by key id, as the teams' developer accounts registered them. */
	public final java.util.Map<String, SigningKey> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();
	/** The tokens the mock accepted, as pushy sent them (one per connection and hour, not one per push). */
	public final List<String> acceptedTokens = new CopyOnWriteArrayList<>();

	/** As APNs checks a provider token: bearer, ES256 signed by a key it knows, issued by its team, for a topic the team owns. */
	private void token(String authorization, String topic) throws RejectedNotificationException {
		if (!authorization.startsWith("bearer ")) {
			throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
		}
		String serialized = authorization.substring("bearer ".length());
		com.eatthepath.pushy.apns.auth.AuthenticationToken token;
		try {
			token = new com.eatthepath.pushy.apns.auth.AuthenticationToken(serialized);
		}
		catch (RuntimeException e) {
			throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
		}
		SigningKey known = signingKeys.get(token.getKeyId());
		boolean valid;
		try {
			valid = known != null && known.teamId().equals(token.getTeamId()) && token.getIssuedAt() != null
					&& token.verifySignature(new com.eatthepath.pushy.apns.auth.ApnsVerificationKey(token.getKeyId(),
							known.teamId(), known.key()));
		}
		catch (java.security.GeneralSecurityException e) {
			valid = false;
		}
		if (!valid) {
			throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
		}
		if (!known.topics().contains(topic)) {
			throw new RejectedNotificationException(RejectionReason.TOPIC_DISALLOWED);
		}
		if (!acceptedTokens.contains(serialized)) {
			acceptedTokens.add(serialized);
		}
	}

	private static X509Certificate clientCertificate(javax.net.ssl.SSLSession session) {
		try {
			return (X509Certificate) session.getPeerCertificates()[0];
		}
		catch (javax.net.ssl.SSLPeerUnverifiedException e) {
			return null;
		}
	}

	private static boolean issuedBy(X509Certificate certificate, X509Certificate authority) {
		try {
			certificate.verify(authority.getPublicKey());
			return true;
		}
		catch (java.security.GeneralSecurityException e) {
			return false;
		}
	}

	/** How X500Principal prints a UID it has no name for: the DER of the string, in hex. */
	private static String hex(String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		return "#0c" + String.format("%02x", bytes.length) + java.util.HexFormat.of().formatHex(bytes);
	}

	public int port() {
		return port;
	}

	@Override
	public void close() {
		server.shutdown();
	}
}
