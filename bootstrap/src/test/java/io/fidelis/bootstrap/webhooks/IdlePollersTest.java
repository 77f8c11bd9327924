package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.fidelis.FidelisApplication;
import io.fidelis.cards.application.CardStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pollers for due wallet updates and webhook deliveries look every second or so; with
 * nothing pending they must not read the whole collection each time (the embedded store counts
 * such scans).
 */
@SpringBootTest(classes = FidelisApplication.class, properties = { "fidelis.mongodb.embedded.in-memory=true",
		"fidelis.mongodb.embedded.port=0", "fidelis.points.clockwork-interval=PT1H" })
class IdlePollersTest {

	@Autowired
	WebhookStore webhooks;
	@Autowired
	CardStore cards;
	@Autowired
	MeterRegistry registry;

	@Test
	void with_nothing_due_the_pollers_read_no_collection() {
		double before = scans("fidelis.webhooks_due") + scans("fidelis.cards_due");

		assertThat(webhooks.claimDue(Instant.now(), Duration.ofSeconds(30), 10)).isEmpty();
		assertThat(cards.claimDue("test-node", Instant.now(), Duration.ofSeconds(30), 10)).isEmpty();

		assertThat(scans("fidelis.webhooks_due") + scans("fidelis.cards_due")).isEqualTo(before);
	}

	private double scans(String collection) {
		FunctionCounter counter = registry.find("fidelis.store.scans").tag("collection", collection).functionCounter();
		assertThat(counter).as("scans of %s are counted", collection).isNotNull();
		return counter.count();
	}
}
