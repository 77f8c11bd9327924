package io.fidelis.bootstrap.webhooks;

import static com.mongodb.client.model.Filters.eq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

/**
 * Subscriptions, the delivery log, and the deliveries still due. A delivery is written once per
 * subscription and event id (a redelivered module event adds nothing), and stays due until a
 * receiver answers 2xx or it is parked as dead; so nothing acknowledged is lost across restarts.
 */
@Component
class WebhookStore {

	static final String SUBSCRIPTIONS = "webhooks_subscriptions";
	static final String DELIVERIES = "webhooks_deliveries";
	static final String DUE = "webhooks_due";

	/** @param programs the programs whose events it receives; empty: every program (a client whose token names none) */
	record Subscription(String id, String client, String url, List<String> eventTypes, String secret,
			String description, Instant createdAt, List<String> programs) {

		Subscription {
			programs = programs == null ? List.of() : List.copyOf(programs);
		}

		/** Whether it receives events of {@code type} from {@code program} (null: an event that names no program). */
		boolean wants(String type, String program) {
			return (eventTypes.contains(type) || eventTypes.contains("*"))
					&& (programs.isEmpty() || program != null && programs.contains(program));
		}
	}

	/** @param member the member the event is about, if it names one (their data export finds it by this) */
	record Delivery(String id, String subscription, String client, String url, String eventType, String eventId,
			String payload, String status, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
			Instant createdAt, Instant deliveredAt, String member) {

		Delivery(String id, String subscription, String client, String url, String eventType, String eventId,
				String payload, String status, int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError,
				Instant createdAt, Instant deliveredAt) {
			this(id, subscription, client, url, eventType, eventId, payload, status, attempts, nextAttemptAt, lastStatus,
					lastError, createdAt, deliveredAt, null);
		}
	}

	private final MongoDatabaseFactory factory;

	WebhookStore(MongoDatabaseFactory factory) {
		this.factory = factory;
		due().createIndex(Indexes.ascending("_id", "lease"), new IndexOptions().unique(true).name("due_lease"));
	}

	private MongoCollection<Document> subscriptions() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(SUBSCRIPTIONS);
	}

	private MongoCollection<Document> deliveries() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DELIVERIES);
	}

	private MongoCollection<Document> due() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DUE);
	}

	void addSubscription(Subscription s) {
		subscriptions().insertOne(new Document("_id", s.id()).append("client", s.client()).append("url", s.url())
				.append("eventTypes", s.eventTypes()).append("secret", s.secret()).append("description", s.description())
				.append("createdAt", Date.from(s.createdAt())).append("programs", s.programs()));
	}

	boolean removeSubscription(String id) {
		return subscriptions().deleteOne(eq("_id", id)).getDeletedCount() == 1;
	}

	Optional<Subscription> subscription(String id) {
		return Optional.ofNullable(subscriptions().find(eq("_id", id)).first()).map(WebhookStore::subscription);
	}

	/** Subscriptions are few (a handful per integration client): all of them, read at once. */
	List<Subscription> subscriptions(String client) {
		List<Subscription> found = new ArrayList<>();
		subscriptions().find().forEach(d -> {
			if (client == null || client.equals(d.getString("client"))) {
				found.add(subscription(d));
			}
		});
		found.sort(java.util.Comparator.comparing(Subscription::createdAt));
		return found;
	}

	/** False when this delivery exists already (the same event told twice). */
	boolean addDelivery(Delivery d) {
		try {
			deliveries().insertOne(document(d));
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			return false;
		}
		markDue(d.id(), d.nextAttemptAt());
		return true;
	}

	private void markDue(String deliveryId, Instant at) {
		due().updateOne(eq("_id", deliveryId), Updates.combine(Updates.set("at", Date.from(at)),
				Updates.set("leaseUntil", new Date(0)), Updates.setOnInsert("lease", 0L)),
				new com.mongodb.client.model.UpdateOptions().upsert(true));
	}

	Optional<Delivery> delivery(String id) {
		return Optional.ofNullable(deliveries().find(eq("_id", id)).first()).map(WebhookStore::delivery);
	}

	/** Every delivery about the member (their data export; a scan on the embedded store, which only an export makes). */
	List<Delivery> deliveriesAbout(String memberId) {
		List<Delivery> found = new ArrayList<>();
		deliveries().find(eq("member", memberId)).sort(Sorts.ascending("createdAt")).forEach(d -> found.add(delivery(d)));
		return found;
	}

	/**
	 * What was sent about an erased member keeps only the member id and program: the event's data
	 * (card numbers among it) goes, from the log and from deliveries still to be sent. The member's
	 * own {@code member.erased} event stays as it is. Answers how many were redacted.
	 */
	int redactAbout(String memberId) {
		int redacted = 0;
		for (Delivery d : deliveriesAbout(memberId)) {
			if (d.eventType().equals("member.erased")) {
				continue;
			}
			Document payload = Document.parse(d.payload());
			Document data = payload.get("data", Document.class);
			if (data == null || Boolean.TRUE.equals(data.getBoolean("redacted"))) {
				continue;
			}
			payload.put("data", new Document("memberId", memberId).append("programId", data.get("programId"))
					.append("redacted", true));
			deliveries().updateOne(eq("_id", d.id()), Updates.set("payload", payload.toJson()));
			redacted++;
		}
		return redacted;
	}

	/** The newest deliveries of one subscription, optionally of one status. */
	/** Where a delivery stands in a delivery log, newest first: its time, then its id. */
	record Position(Instant createdAt, String id) {
	}

	/**
	 * A subscription's deliveries, newest first, those after {@code after} (null: from the newest).
	 * Read on request only (a client paging its log), so a filter on more than the key is fine here.
	 */
	List<Delivery> deliveries(String subscription, String status, Position after, int limit) {
		List<Delivery> found = new ArrayList<>();
		List<Bson> filters = new ArrayList<>(List.of(eq("subscription", subscription)));
		if (status != null) {
			filters.add(eq("status", status));
		}
		if (after != null) {
			Date at = Date.from(after.createdAt());
			filters.add(Filters.or(Filters.lt("createdAt", at), Filters.and(eq("createdAt", at), Filters.lt("_id", after.id()))));
		}
		deliveries().find(filters.size() == 1 ? filters.get(0) : Filters.and(filters))
				.sort(Sorts.orderBy(Sorts.descending("createdAt"), Sorts.descending("_id"))).limit(limit)
				.forEach(d -> found.add(delivery(d)));
		return found;
	}

	/** @param dueAt when the delivery was due: how late its attempt is tells whether senders keep up */
	record Lease(String deliveryId, long lease, Instant dueAt) {
	}

	/** Due deliveries no other node holds, leased for {@code lease}. */
	List<Lease> claimDue(Instant now, Duration lease, int max) {
		List<Lease> claimed = new ArrayList<>();
		if (due().estimatedDocumentCount() == 0) {
			return claimed; // nothing pending: a count the store answers without reading the collection
		}
		for (Document d : due().find(Filters.and(Filters.lte("at", Date.from(now)), Filters.lte("leaseUntil", Date.from(now))))
				.limit(max * 4)) {
			long current = d.getLong("lease");
			if (due().updateOne(new Document("_id", d.getString("_id")).append("lease", current),
					Updates.combine(Updates.set("lease", current + 1), Updates.set("leaseUntil", Date.from(now.plus(lease)))))
					.getModifiedCount() == 1) {
				Date at = d.getDate("at");
				claimed.add(new Lease(d.getString("_id"), current + 1, at == null ? null : at.toInstant()));
				if (claimed.size() == max) {
					break;
				}
			}
		}
		return claimed;
	}

	void recordAttempt(Delivery after, Lease lease) {
		deliveries().updateOne(eq("_id", after.id()), outcome(after));
		if (after.status().equals("PENDING")) {
			due().updateOne(new Document("_id", after.id()).append("lease", lease.lease()),
					Updates.combine(Updates.set("at", Date.from(after.nextAttemptAt())), Updates.set("leaseUntil", new Date(0))));
		}
		else {
			due().deleteOne(new Document("_id", after.id()).append("lease", lease.lease()));
		}
	}

	/** Deliveries waiting for an attempt (first or retry), over all nodes: a count the store keeps. */
	long pendingCount() {
		return due().estimatedDocumentCount();
	}

	/** The delivery, reset by hand, is due now. */
	void redeliver(Delivery reset) {
		deliveries().updateOne(eq("_id", reset.id()), outcome(reset));
		markDue(reset.id(), reset.nextAttemptAt());
	}

	void forgetDue(Lease lease) {
		due().deleteOne(new Document("_id", lease.deliveryId()).append("lease", lease.lease()));
	}

	/**
	 * Where a delivery stands after an attempt or a reset, and nothing else: the payload read before
	 * a slow attempt must not overwrite the redaction of an erasure that came meanwhile.
	 */
	private static Bson outcome(Delivery d) {
		return Updates.combine(Updates.set("status", d.status()), Updates.set("attempts", d.attempts()),
				Updates.set("nextAttemptAt", Date.from(d.nextAttemptAt())), Updates.set("lastStatus", d.lastStatus()),
				Updates.set("lastError", d.lastError()),
				Updates.set("deliveredAt", d.deliveredAt() == null ? null : Date.from(d.deliveredAt())));
	}

	private static Document document(Delivery d) {
		return new Document("_id", d.id()).append("subscription", d.subscription()).append("client", d.client())
				.append("url", d.url()).append("eventType", d.eventType()).append("eventId", d.eventId())
				.append("payload", d.payload()).append("status", d.status()).append("attempts", d.attempts())
				.append("nextAttemptAt", Date.from(d.nextAttemptAt())).append("lastStatus", d.lastStatus())
				.append("lastError", d.lastError()).append("createdAt", Date.from(d.createdAt()))
				.append("deliveredAt", d.deliveredAt() == null ? null : Date.from(d.deliveredAt())).append("member", d.member());
	}

	private static Delivery delivery(Document d) {
		Date delivered = d.getDate("deliveredAt");
		return new Delivery(d.getString("_id"), d.getString("subscription"), d.getString("client"), d.getString("url"),
				d.getString("eventType"), d.getString("eventId"), d.getString("payload"), d.getString("status"),
				d.getInteger("attempts", 0), d.getDate("nextAttemptAt").toInstant(), d.getInteger("lastStatus"),
				d.getString("lastError"), d.getDate("createdAt").toInstant(), delivered == null ? null : delivered.toInstant(),
				d.getString("member"));
	}

	private static Subscription subscription(Document d) {
		return new Subscription(d.getString("_id"), d.getString("client"), d.getString("url"),
				d.getList("eventTypes", String.class), d.getString("secret"), d.getString("description"),
				d.getDate("createdAt").toInstant(), d.getList("programs", String.class)); // none before programs were kept: every program
	}
}
