package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** The webhooks component goes DOWN when senders fall behind or stop reading, never for a failing receiver. */
class WebhooksHealthTest {

	final Instant now = Instant.parse("2026-12-06T12:00:00Z");
	final WebhookSender sender = mock(WebhookSender.class);
	final WebhookStore store = mock(WebhookStore.class);
	final WebhooksHealth health = new WebhooksHealth(sender, store, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));

	@Test
	void upBeforeTheFirstPassAndWhileAttemptsAreOnTime() {
		when(store.pendingCount()).thenReturn(7L);
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		when(sender.lastPass()).thenReturn(new WebhookSender.Pass(now.minusSeconds(1), Duration.ofSeconds(2)));
		assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
		assertThat(health.health(true).getDetails()).containsEntry("pending", 7L).containsEntry("latestAttemptLateSeconds", 2L);
	}

	@Test
	void downWhenTheLastPassAttemptedADeliveryLongAfterItWasDue() {
		when(sender.lastPass()).thenReturn(new WebhookSender.Pass(now, Duration.ofMinutes(6)));
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void downWhenDeliveriesWaitAndNoPassCouldReadThemForTooLong() {
		when(sender.lastPass()).thenReturn(new WebhookSender.Pass(now.minus(Duration.ofMinutes(6)), Duration.ZERO));
		when(store.pendingCount()).thenReturn(1L);
		assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
		when(store.pendingCount()).thenReturn(0L);
		assertThat(health.health(true).getStatus()).as("nothing waits: an idle sender is fine").isEqualTo(Status.UP);
	}
}
