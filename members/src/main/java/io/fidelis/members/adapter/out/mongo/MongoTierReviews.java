package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.application.TierReviews;

/** Due days in {@code members_tier_reviews}; progress and lease in {@code members_tier_clockwork} (a document or two). */
@Component
class MongoTierReviews implements TierReviews {

	private final MongoDatabaseFactory factory;

	MongoTierReviews(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> days() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_tier_reviews");
	}

	private MongoCollection<Document> clockwork() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_tier_clockwork");
	}

	@Override
	public void remember(String memberId, Instant due) {
		days().updateOne(eq("_id", LocalDate.ofInstant(due, ZoneOffset.UTC).toString()), Updates.addToSet("members", memberId),
				new UpdateOptions().upsert(true));
	}

	@Override
	public Set<String> dueOn(LocalDate day) {
		Document found = days().find(eq("_id", day.toString())).first();
		return found == null ? Set.of() : new LinkedHashSet<>(found.getList("members", String.class, List.of()));
	}

	@Override
	public Optional<LocalDate> lastCompletedDay() {
		Document progress = clockwork().find(eq("_id", "progress")).first();
		return progress == null ? Optional.empty() : Optional.of(LocalDate.parse(progress.getString("lastCompletedDay")));
	}

	@Override
	public void completed(LocalDate day) {
		clockwork().updateOne(eq("_id", "progress"), Updates.set("lastCompletedDay", day.toString()),
				new UpdateOptions().upsert(true));
	}

	@Override
	public boolean lease(String holder, Instant now, Duration length) {
		Date until = Date.from(now.plus(length));
		try {
			clockwork().insertOne(new Document("_id", "lease").append("holder", holder).append("until", until));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
		}
		return clockwork().updateOne(and(eq("_id", "lease"), or(eq("holder", holder), lt("until", Date.from(now)))),
				Updates.combine(Updates.set("holder", holder), Updates.set("until", until))).getModifiedCount() == 1;
	}
}
