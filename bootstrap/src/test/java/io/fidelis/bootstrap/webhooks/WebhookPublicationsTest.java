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
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;
import org.springframework.transaction.support.TransactionTemplate;

import io.fidelis.FidelisApplication;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.PointsTransferred;

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
	@Autowired
	EventPublicationRepository publications;

	@Test
	void an_event_gets_a_webhook_publication_only_when_a_subscription_wants_it() {
		assertThat(webhookPublicationsOf(earned("m-nobody-listens"))).isZero();

		store.addSubscription(new WebhookStore.Subscription("whs_test", "crm", "https://crm.example.com/hook",
				List.of("points.earned"), "secret", "test", Instant.now(), List.of()));
		webhooks.subscriptionsChanged();
		try {
			assertThat(webhookPublicationsOf(earned("m-crm-listens"))).isEqualTo(1);
		}
		finally {
			store.removeSubscription("whs_test");
			webhooks.subscriptionsChanged();
		}
	}

	/**
	 * A settled batch is stored whole in each of its publications and read back as it was: what
	 * the registry hands a listener again after a crash is every movement, of every kind.
	 */
	@Test
	void a_settled_batch_reads_back_from_its_publication_as_it_was_stored() {
		PointsSettled settled = PointsSettled.of(List.of(
				new PointsTransferred(new MemberId("m-read-b"), new ProgramId("acme"), new MemberId("m-read-a"), 5, 5, 0, 1,
						"tx-t", Instant.parse("2026-12-04T10:00:00Z")),
				new PointsEarned(new MemberId("m-read-a"), new ProgramId("acme"), 10, 10, 0, 1, "tx-1", "IN_STORE", "FR",
						"paris-1", null, Instant.parse("2026-12-04T09:00:00Z")),
				new PointsRedeemed(new MemberId("m-read-a"), new ProgramId("acme"), -3, 7, 0, 2, "tx-r", "ONLINE", null, null,
						null, Instant.parse("2026-12-04T10:00:01Z"))));
		List<Object> read = new ArrayList<>();
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			events.publishEvent(settled);
			TransactionSynchronizationUtils.triggerFlush();
			publications.findIncompletePublications().stream().map(TargetEventPublication::getEvent)
					.filter(settled::equals).forEach(read::add);
			status.setRollbackOnly();
		});
		mongo.getCollection("event_publication").deleteMany(new Document("event.earned.memberId.value", "m-read-a"));

		assertThat(read).as("one publication per listener, each read back equal").hasSizeGreaterThanOrEqualTo(3);
		assertThat(((PointsSettled) read.get(0)).movements()).extracting(m -> m.memberId().value() + "@" + m.version())
				.containsExactly("m-read-a@1", "m-read-a@2", "m-read-b@1");
	}

	static Batch earned(String member) {
		return new Batch(member, PointsSettled.of(List.of(new PointsEarned(new MemberId(member), new ProgramId("acme"), 10,
				10, 0, 1, "tx-1", "IN_STORE", "FR", null, null, Instant.parse("2026-12-04T09:00:00Z")))));
	}

	record Batch(String member, PointsSettled event) {
	}

	/**
	 * Publishes {@code event}, stores its publications (a flush), counts the webhook listener's,
	 * and rolls back: no listener runs, and the publications are removed again.
	 */
	private long webhookPublicationsOf(Batch batch) {
		List<Object> stored = new ArrayList<>();
		long[] forWebhooks = new long[1];
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			events.publishEvent(batch.event());
			TransactionSynchronizationUtils.triggerFlush();
			for (Document d : mongo.getCollection("event_publication")
					.find(new Document("event.earned.memberId.value", batch.member()))) {
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
