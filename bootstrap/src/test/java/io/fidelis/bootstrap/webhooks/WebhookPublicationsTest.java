package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;
import org.springframework.transaction.support.TransactionTemplate;

import io.fidelis.FidelisApplication;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsEarned;

/**
 * Webhooks hear every module event, but an event no subscription wants gets no publication for
 * the webhook listener: with no subscriber, it would be stored and completed for nothing. Once
 * a subscription wants the type, it does.
 */
@SpringBootTest(classes = FidelisApplication.class, properties = { "fidelis.mongodb.embedded.in-memory=true",
		"fidelis.mongodb.embedded.port=0", "fidelis.events.retry-after=PT1H" })
class WebhookPublicationsTest {

	static final String LISTENER = "ModuleEventsToWebhooks";

	@Autowired
	ApplicationEventPublisher events;
	@Autowired
	PlatformTransactionManager transactions;
	@Autowired
	MongoTemplate mongo;
	@Autowired
	WebhookStore store;
	@Autowired
	ModuleEventsToWebhooks webhooks;

	@Test
	void an_event_gets_a_webhook_publication_only_when_a_subscription_wants_it() {
		assertThat(webhookPublicationsOf(earned("m-nobody-listens"))).isZero();

		store.addSubscription(new WebhookStore.Subscription("whs_test", "crm", "https://crm.example.com/hook",
				List.of("points.earned"), "secret", "test", Instant.now()));
		webhooks.subscriptionsChanged();
		try {
			assertThat(webhookPublicationsOf(earned("m-crm-listens"))).isEqualTo(1);
		}
		finally {
			store.removeSubscription("whs_test");
			webhooks.subscriptionsChanged();
		}
	}

	static PointsEarned earned(String member) {
		return new PointsEarned(new MemberId(member), new ProgramId("acme"), 10, 10, 0, 1, "tx-1", "IN_STORE", "FR",
				null, null, Instant.now());
	}

	/**
	 * Publishes {@code event}, stores its publications (a flush), counts the webhook listener's,
	 * and rolls back: no listener runs, and the publications are removed again.
	 */
	private long webhookPublicationsOf(PointsEarned event) {
		List<Object> stored = new ArrayList<>();
		long[] forWebhooks = new long[1];
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			events.publishEvent(event);
			TransactionSynchronizationUtils.triggerFlush();
			for (Document d : mongo.getCollection("event_publication")
					.find(new Document("event.memberId.value", event.memberId().value()))) {
				stored.add(d.get("_id"));
				if (d.getString("listenerId").contains(LISTENER)) {
					forWebhooks[0]++;
				}
			}
			status.setRollbackOnly();
		});
		assertThat(stored).as("the other modules' listeners have theirs").isNotEmpty();
		mongo.getCollection("event_publication").deleteMany(new Document("_id", new Document("$in", stored)));
		return forWebhooks[0];
	}
}
