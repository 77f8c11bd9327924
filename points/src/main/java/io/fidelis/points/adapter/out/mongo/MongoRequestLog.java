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

/** Idempotency keys in {@code points_requests}, keyed by caller and key. */
@Component
class MongoRequestLog implements RequestLog {

	static final String REQUESTS = "points_requests";

	private final MongoDatabaseFactory factory;

	MongoRequestLog(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> requests() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(REQUESTS);
	}

	@Override
	public Claim claim(String key, String fingerprint, String memberId, long from) {
		while (true) {
			try {
				requests().insertOne(new Document("_id", key).append("fingerprint", fingerprint).append("memberId", memberId)
						.append("from", from));
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
			requests().insertMany(claims.stream().map(c -> new Document("_id", c.key()).append("fingerprint", c.fingerprint())
					.append("memberId", c.memberId()).append("from", c.from())).toList(),
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
