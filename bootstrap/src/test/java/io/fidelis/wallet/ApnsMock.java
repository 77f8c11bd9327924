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
