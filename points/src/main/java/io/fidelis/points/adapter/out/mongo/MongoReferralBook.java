package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;

import io.fidelis.points.application.ReferralBook;
import io.fidelis.points.domain.ReferralRules;

/**
 * Referral rules in {@code points_referral_rules}, one document per program, by its id; in
 * {@code points_referral_caps} one document per referrer and period with the friends counted,
 * changed only from the revision it was read at (a unique index on {@code _id} and {@code rev},
 * so that the guarded write is found by an exact key); in {@code points_referral_days} one document
 * per program and day, the day's referrals by friend.
 */
@Component
class MongoReferralBook implements ReferralBook {

	static final String RULES = "points_referral_rules";
	static final String CAPS = "points_referral_caps";
	static final String DAYS = "points_referral_days";
	private static final int DUPLICATE_KEY = 11000;

	private final MongoDatabaseFactory factory;

	MongoReferralBook(MongoDatabaseFactory factory) {
		this.factory = factory;
		caps().createIndex(com.mongodb.client.model.Indexes.ascending("_id", "rev"),
				new com.mongodb.client.model.IndexOptions().unique(true).name(CAPS + "_rev"));
	}

	private MongoCollection<Document> caps() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(CAPS);
	}

	private MongoCollection<Document> days() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DAYS);
	}

	private static String dayId(String program, java.time.LocalDate day) {
		return program + "|" + day;
	}

	@Override
	public void record(String program, java.time.LocalDate day, Referral r) {
		String at = "friends." + fieldName(r.friend()) + ".";
		var update = com.mongodb.client.model.Updates.combine(com.mongodb.client.model.Updates.set(at + "referrer", r.referrer()),
				com.mongodb.client.model.Updates.max(at + "referee", r.refereePoints()),
				com.mongodb.client.model.Updates.max(at + "referrerPoints", r.referrerPoints()));
		try {
			days().updateOne(eq("_id", dayId(program, day)), update, new com.mongodb.client.model.UpdateOptions().upsert(true));
		}
		catch (com.mongodb.MongoWriteException e) {
			if (e.getError().getCode() != DUPLICATE_KEY) {
				throw e;
			}
			days().updateOne(eq("_id", dayId(program, day)), update); // the day's first two at once: the other made it
		}
	}

	/** A member id as a field name: ids are plain today, but a dot or a dollar would be read as a path. */
	static String fieldName(String memberId) {
		return memberId.replace("%", "%25").replace(".", "%2E").replace("$", "%24");
	}

	static String memberId(String fieldName) {
		return fieldName.replace("%24", "$").replace("%2E", ".").replace("%25", "%");
	}

	@Override
	public java.util.List<Referral> referrals(String program, java.util.Collection<java.time.LocalDate> wanted) {
		java.util.List<Referral> found = new java.util.ArrayList<>();
		for (Document d : days().find(com.mongodb.client.model.Filters.in("_id",
				wanted.stream().map(day -> dayId(program, day)).toList()))) {
			Document friends = d.get("friends", Document.class);
			friends.forEach((friend, v) -> {
				Document f = (Document) v;
				found.add(new Referral(memberId(friend), f.getString("referrer"), ((Number) f.get("referee")).longValue(),
						((Number) f.get("referrerPoints")).longValue()));
			});
		}
		return found;
	}

	@Override
	public boolean countTowardsCap(String referrer, String period, String referee, int cap) {
		String id = referrer + "|" + period;
		while (true) {
			Document d = caps().find(eq("_id", id)).first();
			if (d == null) {
				try {
					caps().insertOne(new Document("_id", id).append("rev", 0L).append("referees", java.util.List.of(referee)));
					return true;
				}
				catch (com.mongodb.MongoWriteException e) {
					if (e.getError().getCode() != DUPLICATE_KEY) {
						throw e;
					}
					continue; // another delivery counted first: read again
				}
			}
			java.util.List<String> counted = d.getList("referees", String.class);
			if (counted.contains(referee)) {
				return true;
			}
			if (counted.size() >= cap) {
				return false;
			}
			long rev = ((Number) d.get("rev")).longValue();
			if (caps().updateOne(new Document("_id", id).append("rev", rev), com.mongodb.client.model.Updates.combine(
					com.mongodb.client.model.Updates.push("referees", referee),
					com.mongodb.client.model.Updates.inc("rev", 1L))).getModifiedCount() == 1) {
				return true;
			}
		}
	}

	private MongoCollection<Document> rules() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(RULES);
	}

	@Override
	public Optional<ReferralRules> find(String programId) {
		Document d = rules().find(eq("_id", programId)).first();
		return d == null ? Optional.empty()
				: Optional.of(new ReferralRules(programId, ((Number) d.get("referrerPoints")).longValue(),
						((Number) d.get("refereePoints")).longValue(), d.getInteger("referrerCap"),
						d.getString("capPeriod") == null ? null : ReferralRules.CapPeriod.valueOf(d.getString("capPeriod"))));
	}

	@Override
	public void save(ReferralRules r) {
		rules().replaceOne(eq("_id", r.programId()), new Document("_id", r.programId())
				.append("referrerPoints", r.referrerPoints()).append("refereePoints", r.refereePoints())
				.append("referrerCap", r.referrerCap()).append("capPeriod", r.capPeriod().name()),
				new ReplaceOptions().upsert(true));
	}
}
