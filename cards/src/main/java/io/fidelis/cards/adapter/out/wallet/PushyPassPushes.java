package io.fidelis.cards.adapter.out.wallet;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;

import io.fidelis.cards.application.PassPushes;

/**
 * Apple's pass update push over HTTP/2 with pushy: an empty JSON payload, topic = the pass type
 * id, over one connection that carries every push (HTTP/2 streams). Authenticated with the Pass
 * Type ID certificate, or, when an APNs authentication key ({@code .p8}) of the team that owns the
 * pass type is configured, with a token signed by it (ES256, renewed by pushy before Apple's hour).
 */
public class PushyPassPushes implements PassPushes, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PushyPassPushes.class);
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApnsClient client;

	public PushyPassPushes(CardsProperties.Apns apns, WalletCredentials credentials) {
		this(apns, null, credentials);
	}

	/** @param teamIdentifier the team that owns the pass type and the signing key (token authentication) */
	public PushyPassPushes(CardsProperties.Apns apns, String teamIdentifier, WalletCredentials credentials) {
		try {
			ApnsClientBuilder builder = new ApnsClientBuilder().setApnsServer(apns.host(), apns.port())
					.setConnectionTimeout(TIMEOUT);
			if (apns.signingKey() != null) {
				if (teamIdentifier == null || !teamIdentifier.matches("[A-Z0-9]{10}")) {
					throw new IllegalStateException("Token authentication needs fidelis.cards.apple.team-identifier: "
							+ "the ten-character id of the team that owns the key and the pass type, not '" + teamIdentifier + "'");
				}
				try (java.io.InputStream in = apns.signingKey().getInputStream()) {
					builder.setSigningKey(com.eatthepath.pushy.apns.auth.ApnsSigningKey.loadFromInputStream(in,
							teamIdentifier, apns.keyId().strip()));
				}
				catch (java.security.NoSuchAlgorithmException | java.security.InvalidKeyException e) {
					throw new IllegalStateException("fidelis.cards.apple.apns.signing-key is not an APNs key (.p8): "
							+ e.getMessage(), e);
				}
			}
			else {
				builder.setClientCredentials(credentials.passCertificate(), credentials.passKey(), null);
			}
			if (apns.trustedServerCertificate() != null) {
				builder.setTrustedServerCertificateChain(WalletCredentials.certificate(
						"fidelis.cards.apple.apns.trusted-server-certificate", apns.trustedServerCertificate()));
			}
			this.client = builder.build();
		}
		catch (IOException e) {
			throw new IllegalStateException("Cannot set up the APNs client for " + apns.host() + ": " + e.getMessage(), e);
		}
	}

	@Override
	public Result push(String pushToken, String passTypeIdentifier) {
		SimpleApnsPushNotification push = new SimpleApnsPushNotification(pushToken, passTypeIdentifier, "{}", null,
				DeliveryPriority.CONSERVE_POWER, PushType.BACKGROUND);
		try {
			PushNotificationResponse<SimpleApnsPushNotification> response = client.sendNotification(push)
					.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (response.isAccepted()) {
				return Result.SENT;
			}
			String reason = response.getRejectionReason().orElse("");
			if (response.getStatusCode() == 410 || reason.equals("BadDeviceToken") || reason.equals("Unregistered")) {
				return Result.GONE;
			}
			log.warn("APNs refused a pass push ({} {})", response.getStatusCode(), reason);
			return Result.FAILED;
		}
		catch (ExecutionException | TimeoutException e) {
			log.warn("APNs could not be reached: {}", e.toString());
			return Result.FAILED;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Result.FAILED;
		}
	}

	@Override
	public void close() {
		client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
	}
}
