package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.fidelis.FidelisApplication;

/**
 * A delivery whose destination is not a public address (a subscription stored before the check
 * existed, or a name that resolves elsewhere now) is not sent: its attempt is recorded with the
 * reason, in words a client may read. Same context as {@link WebhookPublicationsTest}.
 */
@SpringBootTest(classes = FidelisApplication.class, properties = { "fidelis.mongodb.embedded.in-memory=true",
		"fidelis.mongodb.embedded.port=0", "fidelis.events.retry-after=PT1H" })
class WebhookSendingTest {

	@Autowired
	WebhookStore store;
	@Autowired
	WebhookSender sender;

	@Test
	void aDeliveryToAPrivateAddressIsNotSentAndSaysWhy() {
		Instant now = Instant.now();
		store.addSubscription(new WebhookStore.Subscription("whs_private", "crm", "http://169.254.169.254/latest/meta-data",
				List.of("*"), "secret", "metadata", now, List.of()));
		try {
			store.addDelivery(new WebhookStore.Delivery("whd_private", "whs_private", "crm",
					"http://169.254.169.254/latest/meta-data", "points.earned", "evt_private", "{}", "PENDING", 0, now, null,
					null, now, null));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(store.delivery("whd_private"))
					.hasValueSatisfying(d -> {
						assertThat(d.attempts()).isPositive();
						assertThat(d.lastStatus()).isNull();
						assertThat(d.lastError()).startsWith("not sent: the host 169.254.169.254 is a loopback, private")
								.doesNotContain("Exception");
					}));
		}
		finally {
			store.removeSubscription("whs_private");
		}
	}

	/**
	 * An attempt that was under way when the member was erased records how it went and nothing else:
	 * the payload it read before (a card number, a name) does not come back over the redaction.
	 */
	@Test
	void anAttemptUnderWayWhenTheMemberIsErasedKeepsTheRedaction() {
		Instant now = Instant.now();
		Instant later = now.plus(Duration.ofHours(1)); // not due while the test runs: this test plays the sender
		store.addDelivery(new WebhookStore.Delivery("whd_erased", "whs_none", "crm", "https://crm.example.com/hook",
				"member.card_replaced", "evt_erased", "{\"data\": {\"memberId\": \"m_zed\", \"programId\": \"acme\", "
						+ "\"cardNumber\": \"7012345678901232\"}}", "PENDING", 0, later, null, null, now, null, "m_zed"));
		WebhookStore.Delivery readBeforeTheAttempt = store.delivery("whd_erased").orElseThrow();

		assertThat(store.redactAbout("m_zed")).isEqualTo(1);
		store.recordAttempt(new WebhookStore.Delivery(readBeforeTheAttempt.id(), readBeforeTheAttempt.subscription(),
				readBeforeTheAttempt.client(), readBeforeTheAttempt.url(), readBeforeTheAttempt.eventType(),
				readBeforeTheAttempt.eventId(), readBeforeTheAttempt.payload(), "PENDING", 1, later, 503, "HTTP 503",
				readBeforeTheAttempt.createdAt(), null, readBeforeTheAttempt.member()), new WebhookStore.Lease("whd_erased", 0, later));

		assertThat(store.delivery("whd_erased")).hasValueSatisfying(d -> {
			assertThat(d.attempts()).isEqualTo(1);
			assertThat(d.lastStatus()).isEqualTo(503);
			assertThat(d.payload()).contains("\"redacted\": true").doesNotContain("7012345678901232");
		});
	}

	@Autowired
	io.micrometer.core.instrument.MeterRegistry registry;

	/** How late an attempt starts after its due time is measured, and the last pass remembers it for health. */
	@Test
	void anAttemptLongOverdueIsMeasuredAsLate() {
		Instant now = Instant.now();
		store.addSubscription(new WebhookStore.Subscription("whs_overdue", "crm", "http://169.254.169.254/overdue",
				List.of("*"), "secret", "overdue", now, List.of()));
		try {
			store.addDelivery(new WebhookStore.Delivery("whd_overdue", "whs_overdue", "crm", "http://169.254.169.254/overdue",
					// due 11 minutes ago, measured as at least 10: a pass takes its time before it reads what is due
					"points.earned", "evt_overdue", "{}", "PENDING", 0, now.minus(Duration.ofMinutes(11)), null, null, now,
					null));
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(store.delivery("whd_overdue"))
					.hasValueSatisfying(d -> assertThat(d.attempts()).isPositive()));
			assertThat(registry.get("fidelis.webhooks.attempt.lateness").timer().max(java.util.concurrent.TimeUnit.SECONDS))
					.isGreaterThanOrEqualTo(600);
			assertThat(sender.lastPass()).isNotNull();
		}
		finally {
			store.removeSubscription("whs_overdue");
		}
	}

	@Test
	void aSecretMadeBeforeStandardBase64SignsTheStandardWayWithTheSameKey() {
		byte[] key = new byte[32];
		new java.util.Random(5).nextBytes(key);
		key[0] = (byte) 0xfb; // a byte whose base64 differs between the two alphabets
		String standard = "whsec_" + java.util.Base64.getEncoder().encodeToString(key);
		String urlSafe = "whsec_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key);
		assertThat(urlSafe).isNotEqualTo(standard);
		assertThat(WebhookSender.signStandard(urlSafe, "whd_1", 1_780_000_000L, "{}"))
				.isEqualTo(WebhookSender.signStandard(standard, "whd_1", 1_780_000_000L, "{}"))
				.isNotEqualTo(WebhookSender.signStandard(standard, "whd_2", 1_780_000_000L, "{}"));
	}

	@Test
	void failuresAreDescribedWithoutTheExceptionText() {
		assertThat(sender.describe(new java.net.ConnectException("Connection refused: /127.0.0.1:1")))
				.isEqualTo("the connection was refused or could not be made");
		assertThat(sender.describe(new java.net.http.HttpTimeoutException("request timed out"))).startsWith("no answer within");
		assertThat(sender.describe(new java.io.IOException("/10.0.0.5: internal detail"))).doesNotContain("10.0.0.5");
	}
}
