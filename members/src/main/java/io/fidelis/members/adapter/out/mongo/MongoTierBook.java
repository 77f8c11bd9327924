package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;

import io.fidelis.members.ProgramId;
import io.fidelis.members.application.TierBook;
import io.fidelis.members.domain.TierPolicy;
import io.fidelis.members.domain.TierStanding;

/** Ladders in {@code members_tier_ladders} (by program), standings in {@code members_tiers} (by member, guarded by revision). */
@Component
class MongoTierBook implements TierBook {

	private final MongoDatabaseFactory factory;

	MongoTierBook(MongoDatabaseFactory factory) {
		this.factory = factory;
		standings().createIndex(Indexes.ascending("_id", "revision"),
				new IndexOptions().unique(true).name("standing_revision"));
	}

	private MongoCollection<Document> ladders() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_tier_ladders");
	}

	private MongoCollection<Document> standings() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_tiers");
	}

	@Override
	public Optional<TierPolicy> policy(ProgramId program) {
		return Optional.ofNullable(ladders().find(eq("_id", program.value())).first()).map(d -> new TierPolicy(
				d.getList("tiers", Document.class).stream()
						.map(t -> new TierPolicy.Tier(t.getString("name"), ((Number) t.get("threshold")).longValue()))
						.toList(),
				TierPolicy.Metric.valueOf(d.getString("metric")), d.getInteger("windowMonths"), d.getInteger("graceDays"),
				d.getString("currency")));
	}

	@Override
	public void setPolicy(ProgramId program, TierPolicy policy) {
		ladders().replaceOne(eq("_id", program.value()), new Document("_id", program.value())
				.append("tiers", policy.ladder().stream()
						.map(t -> new Document("name", t.name()).append("threshold", t.threshold())).toList())
				.append("metric", policy.metric().name()).append("windowMonths", policy.windowMonths())
				.append("graceDays", policy.graceDays()).append("currency", policy.currency()),
				new ReplaceOptions().upsert(true));
	}

	@Override
	public Optional<TierStanding> standing(String memberId) {
		return Optional.ofNullable(standings().find(eq("_id", memberId)).first()).map(MongoTierBook::standing);
	}

	@Override
	public Map<String, TierStanding> standings(java.util.Collection<String> memberIds) {
		Map<String, TierStanding> found = new HashMap<>();
		if (!memberIds.isEmpty()) {
			// {_id: {$in: [...]}}: answered from the _id index
			standings().find(com.mongodb.client.model.Filters.in("_id", memberIds.stream().distinct().toList()))
					.forEach(d -> found.put(d.getString("_id"), standing(d)));
		}
		return found;
	}

	private static TierStanding standing(Document d) {
		String memberId = d.getString("_id");
		Map<String, long[]> monthly = new HashMap<>();
		d.get("monthly", new Document()).forEach((month, v) -> {
			Document totals = (Document) v;
			monthly.put(month, new long[] { ((Number) totals.get("points")).longValue(),
					((Number) totals.get("transactions")).longValue(),
					totals.get("money") == null ? 0 : ((Number) totals.get("money")).longValue() });
		});
		return new TierStanding(memberId, d.getString("programId"), monthly, d.getString("earnedTier"),
				instant(d, "earnedSince"), instant(d, "reviewAt"), d.getString("manualTier"), instant(d, "manualUntil"),
				new HashSet<>(d.getList("applied", Long.class, List.of())), ((Number) d.get("revision")).longValue());
	}

	@Override
	public boolean save(long expectedRevision, TierStanding s) {
		Document monthly = new Document();
		s.monthly().forEach((month, t) -> monthly.append(month, new Document("points", t[0]).append("transactions", t[1])
				.append("money", t.length > 2 ? t[2] : 0)));
		Document doc = new Document("_id", s.memberId()).append("programId", s.programId()).append("monthly", monthly)
				.append("earnedTier", s.earnedTier()).append("earnedSince", date(s.earnedSince()))
				.append("reviewAt", date(s.reviewAt())).append("manualTier", s.manualTier())
				.append("manualUntil", date(s.manualUntil())).append("applied", new ArrayList<>(s.applied()))
				.append("revision", s.revision());
		if (expectedRevision == 0) {
			try {
				standings().insertOne(doc);
				return true;
			}
			catch (MongoWriteException e) {
				if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
					return false;
				}
				throw e;
			}
		}
		return standings().replaceOne(new Document("_id", s.memberId()).append("revision", expectedRevision), doc)
				.getModifiedCount() == 1;
	}

	private static Instant instant(Document d, String field) {
		Date date = d.getDate(field);
		return date == null ? null : date.toInstant();
	}

	private static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}
}
