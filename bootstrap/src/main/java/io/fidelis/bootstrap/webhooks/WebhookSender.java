package io.fidelis.bootstrap.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Posts due deliveries. Each carries its event id, type, delivery id and attempt number (1 first)
 * in headers, signed two ways so that a receiver can check it came from Fidelis and is fresh with
 * the library it already has:
 * <ul>
 * <li>{@code Fidelis-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" keyed with the
 * secret's text>} (the way Stripe signs);</li>
 * <li>Standard Webhooks: {@code webhook-id} (the delivery id, the same on every attempt),
 * {@code webhook-timestamp} and {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body" keyed with the secret's bytes after whsec_>}.</li>
 * </ul>
 * A 2xx answer delivers it; anything else is retried with exponential back-off, and parked as DEAD
 * after the last attempt. A plain-HTTP receiver is spoken to in HTTP/1.1 (no {@code Upgrade: h2c}).
 */
@Component
class WebhookSender {

	private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
	static final int BATCH = 20;

	private final WebhookStore store;
	private final WebhookProperties properties;
	private final WebhookDestinations destinations;
	private final Clock clock;
	private final HttpClient http;
	private final MeterRegistry registry;
	private final Timer latency;
	private final Timer lateness;
	/** The last pass over due deliveries that could read them: when it ended, and how late its latest attempt was. */
	private volatile Pass pass;

	record Pass(Instant endedAt, Duration latest) {
	}

	WebhookSender(WebhookStore store, WebhookProperties properties, WebhookDestinations destinations, Clock clock,
			MeterRegistry registry) {
		this.store = store;
		this.registry = registry;
		Gauge.builder("fidelis.webhooks.pending", store, WebhookStore::pendingCount)
				.description("Webhook deliveries waiting for their first attempt or a retry, all nodes").register(registry);
		// from the event's delivery being created to the receiver's 2xx, retries included
		this.latency = Timer.builder("fidelis.webhooks.delivery.latency")
				.description("From a webhook delivery's creation to the receiver's 2xx, retries included")
				.publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(10))
				.maximumExpectedValue(java.time.Duration.ofHours(1)).register(registry);
		this.lateness = Timer.builder("fidelis.webhooks.attempt.lateness")
				.description("How long after its due time a webhook attempt started: the senders' own backlog")
				.publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(10))
				.maximumExpectedValue(java.time.Duration.ofHours(1)).register(registry);
		// every outcome from the start, at 0: a rate over a series that appears late misses its first step
		for (String outcome : new String[] { "DELIVERED", "RETRYING", "DEAD" }) {
			attempts(registry, outcome);
		}
		this.properties = properties;
		this.destinations = destinations;
		this.clock = clock;
		this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).followRedirects(HttpClient.Redirect.NEVER)
				.build();
	}

	@Scheduled(fixedDelayString = "${fidelis.webhooks.send-every:PT1S}", initialDelayString = "${fidelis.webhooks.send-initial-delay:PT3S}")
	void sendDue() {
		try {
			int sent;
			Duration latest = Duration.ZERO;
			do {
				sent = 0;
				Instant now = clock.instant();
				for (WebhookStore.Lease lease : store.claimDue(now, properties.timeout().multipliedBy(3), BATCH)) {
					if (lease.dueAt() != null && lease.dueAt().isBefore(now)) {
						Duration late = Duration.between(lease.dueAt(), now);
						lateness.record(late);
						latest = max(latest, late);
					}
					send(lease);
					sent++;
				}
			}
			while (sent == BATCH);
			pass = new Pass(clock.instant(), latest);
		}
		catch (RuntimeException e) {
			log.warn("Webhook deliveries could not be read (will retry): {}", e.toString());
		}
	}

	void send(WebhookStore.Lease lease) {
		Optional<WebhookStore.Delivery> found = store.delivery(lease.deliveryId());
		if (found.isEmpty() || !found.get().status().equals("PENDING")) {
			store.forgetDue(lease);
			return;
		}
		WebhookStore.Delivery d = found.get();
		Optional<WebhookStore.Subscription> subscription = store.subscription(d.subscription());
		Instant now = clock.instant();
		if (subscription.isEmpty()) {
			store.recordAttempt(with(d, "DEAD", d.attempts(), now, null, "the webhook was deleted", null), lease);
			attempted("DEAD");
			return;
		}
		long timestamp = now.getEpochSecond();
		Integer status = null;
		String error = null;
		URI url = URI.create(d.url());
		// checked again before each attempt: a name may resolve to another address than when it was created
		Optional<String> refused = destinations.refusal(url);
		try {
			if (refused.isPresent()) {
				throw new RefusedDestination(refused.get());
			}
			String secret = subscription.get().secret();
			HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(properties.timeout())
					.header("Content-Type", "application/json").header("User-Agent", "Fidelis-Webhooks/1")
					.header("Fidelis-Event-Id", d.eventId()).header("Fidelis-Event-Type", d.eventType())
					.header("Fidelis-Delivery-Id", d.id()).header("Fidelis-Attempt", Integer.toString(d.attempts() + 1))
					.header("Fidelis-Signature", "t=" + timestamp + ",v1=" + sign(secret, timestamp, d.payload()))
					.header("webhook-id", d.id()).header("webhook-timestamp", Long.toString(timestamp))
					.header("webhook-signature", "v1," + signStandard(secret, d.id(), timestamp, d.payload()));
			if ("http".equalsIgnoreCase(url.getScheme())) {
				request.version(HttpClient.Version.HTTP_1_1);
			}
			HttpResponse<Void> response = http.send(
					request.POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8)).build(),
					HttpResponse.BodyHandlers.discarding());
			status = response.statusCode();
		}
		catch (IOException e) {
			error = describe(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		int attempts = d.attempts() + 1;
		if (status != null && status / 100 == 2) {
			store.recordAttempt(with(d, "DELIVERED", attempts, now, status, null, now), lease);
			attempted("DELIVERED");
			latency.record(java.time.Duration.between(d.createdAt(), now));
			return;
		}
		String why = error != null ? error : "HTTP " + status;
		if (attempts >= properties.maxAttempts()) {
			log.warn("Webhook delivery {} to {} is dead after {} attempts: {}", d.id(), d.url(), attempts, why);
			store.recordAttempt(with(d, "DEAD", attempts, now, status, why, null), lease);
			attempted("DEAD");
			return;
		}
		store.recordAttempt(with(d, "PENDING", attempts, now.plus(backoff(attempts)), status, why, null), lease);
		attempted("RETRYING");
	}

	/** The last pass that could read the due deliveries; null before the first. */
	Pass lastPass() {
		return pass;
	}

	private static Duration max(Duration a, Duration b) {
		return a.compareTo(b) >= 0 ? a : b;
	}

	/** DELIVERED, RETRYING (failed, tried again later) or DEAD (failed for the last time, parked). */
	private void attempted(String outcome) {
		attempts(registry, outcome).increment();
	}

	private static Counter attempts(MeterRegistry registry, String outcome) {
		return Counter.builder("fidelis.webhooks.attempts").description("Webhook delivery attempts by outcome")
				.tag("outcome", outcome).register(registry);
	}

	/** Not sent: the destination is not a public address (any more). */
	private static final class RefusedDestination extends IOException {
		RefusedDestination(String why) {
			super("not sent: " + why, null);
		}
	}

	/**
	 * What failed, for the delivery log the client reads: what happened, not the exception, so a
	 * webhook tells nothing of Fidelis' own network beyond whether the receiver answered.
	 */
	String describe(IOException e) {
		if (e instanceof RefusedDestination) {
			return e.getMessage();
		}
		if (e instanceof java.net.http.HttpTimeoutException) {
			return "no answer within " + properties.timeout().toSeconds() + " s";
		}
		if (e instanceof java.net.ConnectException) {
			return "the connection was refused or could not be made";
		}
		if (e instanceof java.net.UnknownHostException) {
			return "the host cannot be resolved";
		}
		if (e instanceof javax.net.ssl.SSLException) {
			return "the TLS handshake failed (certificate or protocol)";
		}
		return "the connection failed before an answer";
	}

	/** firstRetry, then doubling, at most maxRetry apart. */
	Duration backoff(int attempts) {
		Duration wait = properties.firstRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
		return wait.compareTo(properties.maxRetry()) > 0 ? properties.maxRetry() : wait;
	}

	static String sign(String secret, long timestamp, String payload) {
		return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp + "." + payload));
	}

	private static byte[] hmac(byte[] key, String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * The Standard Webhooks signature: HMAC-SHA256 of {@code id.timestamp.body}, keyed with the
	 * secret's base64 after {@code whsec_} decoded (secrets made before 2026-12-06 are URL-safe
	 * base64 without padding; both alphabets are read).
	 */
	static String signStandard(String secret, String id, long timestamp, String payload) {
		String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
		byte[] key;
		try {
			key = Base64.getDecoder().decode(padded(encoded.replace('-', '+').replace('_', '/')));
		}
		catch (IllegalArgumentException notBase64) { // Fidelis makes none such; signed with its text rather than not sent
			key = secret.getBytes(StandardCharsets.UTF_8);
		}
		return Base64.getEncoder().encodeToString(hmac(key, id + "." + timestamp + "." + payload));
	}

	private static String padded(String base64) {
		return base64 + "=".repeat((4 - base64.length() % 4) % 4);
	}

	private static WebhookStore.Delivery with(WebhookStore.Delivery d, String status, int attempts, Instant next,
			Integer lastStatus, String lastError, Instant deliveredAt) {
		return new WebhookStore.Delivery(d.id(), d.subscription(), d.client(), d.url(), d.eventType(), d.eventId(),
				d.payload(), status, attempts, next, lastStatus, lastError, d.createdAt(), deliveredAt, d.member());
	}
}
