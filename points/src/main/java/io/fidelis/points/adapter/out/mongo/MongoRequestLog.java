package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.points.application.RequestLog;

/**
 * Idempotency keys in {@code points_requests}, keyed by caller and key. A claim is kept for
 * {@code fidelis.points.idempotency-retention} (7 days; 0 keeps claims for ever) after it was
 * made, by a TTL index on its {@code at}: every earn leaves one, so without it the collection
 * grows with every movement for good (on the embedded store, in the heap). A retry within that
 * time answers the first result; after it the key is new again. The store removes claims in its
 * own time (MongoDB every 60 s), so a claim may outlive its age by a minute or so, never less.
 */
@Component
class MongoRequestLog implements RequestLog {

	static final String REQUESTS = "points_requests";
	static final String RETENTION_INDEX = "at_retention";
	/** MongoDB's error when an index exists with other options. */
	private static final int INDEX_OPTIONS_CONFLICT = 85;

	private final MongoDatabaseFactory factory;

	@org.springframework.beans.factory.annotation.Autowired
	MongoRequestLog(MongoDatabaseFactory factory,
			@org.springframework.beans.factory.annotation.Value("${fidelis.points.idempotency-retention:7d}") java.time.Duration retention) {
		this.factory = factory;
		keepFor(retention);
	}

	MongoRequestLog(MongoDatabaseFactory factory) {
		this(factory, java.time.Duration.ZERO);
	}

	/** A TTL index of the claims' age, or none for 0; changed in place when it exists with another age. */
	private void keepFor(java.time.Duration retention) {
		if (retention.isNegative()) {
			throw new IllegalArgumentException("fidelis.points.idempotency-retention is 0 (keep for ever) or a duration, not " + retention);
		}
		MongoCollection<Document> requests = requests();
		if (retention.isZero()) {
			boolean present = requests.listIndexes().into(new java.util.ArrayList<>()).stream()
					.anyMatch(i -> RETENTION_INDEX.equals(i.getString("name")));
			if (present) {
				requests.dropIndex(RETENTION_INDEX);
			}
			return;
		}
		long seconds = Math.max(1, retention.toSeconds());
		try {
			requests.createIndex(com.mongodb.client.model.Indexes.ascending("at"), new com.mongodb.client.model.IndexOptions()
					.name(RETENTION_INDEX).expireAfter(seconds, java.util.concurrent.TimeUnit.SECONDS));
		}
		catch (com.mongodb.MongoCommandException e) {
			if (e.getErrorCode() != INDEX_OPTIONS_CONFLICT) {
				throw e;
			}
			MongoDatabaseUtils.getDatabase(factory).runCommand(new Document("collMod", REQUESTS).append("index",
					new Document("name", RETENTION_INDEX).append("expireAfterSeconds", seconds)));
		}
	}

	private MongoCollection<Document> requests() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(REQUESTS);
	}

	@Override
	public Claim claim(String key, String fingerprint, String memberId, long from) {
		while (true) {
			try {
				requests().insertOne(new Document("_id", key).append("fingerprint", fingerprint).append("memberId", memberId)
						.append("from", from).append("at", new java.util.Date()));
				return new Claim(key, fingerprint, memberId, null, from, true);
			}
			catch (MongoWriteException e) {
				if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
			}
			Optional<Claim> held = find(key);
			if (held.isPresent()) {
				return held.get();
			}
		}
	}

	/** One insert of every claim; a key held already is told by its duplicate-key error. */
	@Override
	public List<Boolean> claimAll(List<Claim> claims) {
		if (claims.isEmpty()) {
			return List.of();
		}
		java.util.Set<Integer> held = new java.util.HashSet<>();
		try {
			java.util.Date at = new java.util.Date(); // the wall clock, not the application's: a TTL index compares it with the store's
			requests().insertMany(claims.stream().map(c -> new Document("_id", c.key()).append("fingerprint", c.fingerprint())
					.append("memberId", c.memberId()).append("from", c.from()).append("at", at)).toList(),
					new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException e) {
			for (var error : e.getWriteErrors()) {
				if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
				held.add(error.getIndex());
			}
		}
		List<Boolean> made = new java.util.ArrayList<>(claims.size());
		for (int i = 0; i < claims.size(); i++) {
			made.add(!held.contains(i));
		}
		return made;
	}

	@Override
	public void recordRefusal(String key, Result refusal) {
		requests().updateOne(eq("_id", key), Updates.set("result", document(refusal)));
	}

	private static Document document(Result result) {
		return new Document("sequence", result.sequence()).append("refusalReason", result.refusalReason())
				.append("refusalMessage", result.refusalMessage());
	}

	@Override
	public Optional<Claim> find(String key) {
		Document d = requests().find(eq("_id", key)).first();
		if (d == null) {
			return Optional.empty();
		}
		Document r = d.get("result", Document.class);
		Result result = r == null ? null : new Result(((Number) r.get("sequence")).longValue(),
				r.getString("refusalReason"), r.getString("refusalMessage"));
		// keys claimed before the version was kept: their entry may be anywhere in the history
		long from = d.get("from") instanceof Number n ? n.longValue() : 0;
		return Optional.of(new Claim(key, d.getString("fingerprint"), d.getString("memberId"), result, from, false));
	}
}
