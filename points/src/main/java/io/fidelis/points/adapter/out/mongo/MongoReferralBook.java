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

/** Referral rules in {@code points_referral_rules}, one document per program, by its id. */
@Component
class MongoReferralBook implements ReferralBook {

	static final String RULES = "points_referral_rules";

	private final MongoDatabaseFactory factory;

	MongoReferralBook(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> rules() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(RULES);
	}

	@Override
	public Optional<ReferralRules> find(String programId) {
		Document d = rules().find(eq("_id", programId)).first();
		return d == null ? Optional.empty()
				: Optional.of(new ReferralRules(programId, ((Number) d.get("referrerPoints")).longValue(),
						((Number) d.get("refereePoints")).longValue()));
	}

	@Override
	public void save(ReferralRules r) {
		rules().replaceOne(eq("_id", r.programId()), new Document("_id", r.programId())
				.append("referrerPoints", r.referrerPoints()).append("refereePoints", r.refereePoints()),
				new ReplaceOptions().upsert(true));
	}
}
