package io.fidelis.offers.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.offers.application.ChallengeStore;
import io.fidelis.offers.domain.Challenge;
import io.fidelis.offers.domain.ChallengeProgress;

/**
 * Challenges in {@code offers_challenges} (one document per program and challenge) with each
 * program's list in {@code offers_challenge_programs}; each member's progress in all of them in
 * one document of {@code offers_challenge_progress}, replaced only from the revision it was read
 * at (a unique index on {@code _id} and {@code rev}, an exact key for the guarded write).
 */
@Component
class MongoChallengeStore implements ChallengeStore {

	static final String CHALLENGES = "offers_challenges";
	static final String PROGRAMS = "offers_challenge_programs";
	static final String PROGRESS = "offers_challenge_progress";
	private static final int DUPLICATE_KEY = 11000;

	private final MongoDatabaseFactory factory;

	MongoChallengeStore(MongoDatabaseFactory factory) {
		this.factory = factory;
		collection(PROGRESS).createIndex(Indexes.ascending("_id", "rev"), new IndexOptions().unique(true).name(PROGRESS + "_rev"));
	}

	private MongoCollection<Document> collection(String name) {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(name);
	}

	@Override
	public void save(Challenge c) {
		collection(CHALLENGES).replaceOne(eq("_id", c.programId() + "|" + c.challengeId()), new Document("_id",
				c.programId() + "|" + c.challengeId()).append("program", c.programId()).append("challengeId", c.challengeId())
				.append("name", c.name()).append("description", c.description()).append("goal", c.goal().name())
				.append("target", c.target().toPlainString()).append("category", c.category())
				.append("validFrom", Date.from(c.validFrom())).append("validUntil", Date.from(c.validUntil()))
				.append("rewardPoints", c.rewardPoints()).append("active", c.active()), new ReplaceOptions().upsert(true));
		collection(PROGRAMS).updateOne(eq("_id", c.programId()), Updates.addToSet("challenges", c.challengeId()),
				new UpdateOptions().upsert(true));
	}

	@Override
	public List<Challenge> challenges(String programId) {
		Document program = collection(PROGRAMS).find(eq("_id", programId)).first();
		if (program == null) {
			return List.of();
		}
		List<Challenge> found = new ArrayList<>();
		collection(CHALLENGES).find(in("_id", program.getList("challenges", String.class).stream()
				.map(c -> programId + "|" + c).toList())).forEach(d -> found.add(new Challenge(d.getString("program"),
						d.getString("challengeId"), d.getString("name"), d.getString("description"),
						Challenge.Goal.valueOf(d.getString("goal")), new BigDecimal(d.getString("target")),
						d.getString("category"), d.getDate("validFrom").toInstant(), d.getDate("validUntil").toInstant(),
						d.get("rewardPoints", Number.class).longValue(), Boolean.TRUE.equals(d.getBoolean("active")))));
		found.sort(Comparator.comparing(Challenge::challengeId));
		return found;
	}

	@Override
	public Optional<ChallengeProgress> progress(String memberId) {
		Document d = collection(PROGRESS).find(eq("_id", memberId)).first();
		if (d == null) {
			return Optional.empty();
		}
		Map<String, ChallengeProgress.Progress> challenges = new LinkedHashMap<>();
		d.get("challenges", new Document()).forEach((id, value) -> {
			Document p = (Document) value;
			Date completed = p.getDate("completedAt");
			Number streak = p.get("streak", Number.class);
			Number lastWeek = p.get("lastWeek", Number.class);
			challenges.put(id, new ChallengeProgress.Progress(p.get("purchases", Number.class).longValue(),
					new BigDecimal(p.getString("spend")), p.getList("stores", String.class),
					completed == null ? null : completed.toInstant(), p.getString("completedBy"),
					streak == null ? 0 : streak.longValue(), lastWeek == null ? Long.MIN_VALUE : lastWeek.longValue()));
		});
		return Optional.of(new ChallengeProgress(memberId, d.getString("program"), challenges,
				d.getList("orders", String.class), d.get("rev", Number.class).longValue()));
	}

	@Override
	public void forget(String memberId) {
		collection(PROGRESS).deleteOne(eq("_id", memberId));
	}

	@Override
	public boolean save(ChallengeProgress progress) {
		Document challenges = new Document();
		progress.challenges().forEach((id, p) -> challenges.append(id, new Document("purchases", p.purchases())
				.append("spend", p.spend().toPlainString()).append("stores", p.stores())
				.append("completedAt", p.completedAt() == null ? null : Date.from(p.completedAt()))
				.append("completedBy", p.completedBy()).append("streak", p.streak()).append("lastWeek", p.lastWeek())));
		Document stored = new Document("_id", progress.memberId()).append("rev", progress.revision() + 1)
				.append("program", progress.programId()).append("challenges", challenges)
				.append("orders", progress.recentOrders());
		try {
			if (progress.revision() == 0) {
				collection(PROGRESS).insertOne(stored);
				return true;
			}
			return collection(PROGRESS).replaceOne(new Document("_id", progress.memberId()).append("rev", progress.revision()),
					stored).getMatchedCount() == 1;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCode() != DUPLICATE_KEY) {
				throw e;
			}
			return false; // another change came first: read again
		}
	}
}
