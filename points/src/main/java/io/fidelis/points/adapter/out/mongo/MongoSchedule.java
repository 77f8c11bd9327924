package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.fidelis.points.application.Schedule;

/**
 * Due days in {@code points_schedule} ({@code _id} = the day), the clockwork's progress and
 * leases in {@code points_clockwork}. The lease is the one conditional write outside an exact
 * key; its collection holds a document or two, so even a scan costs nothing.
 */
@Component
class MongoSchedule implements Schedule {

	private final MongoDatabaseFactory factory;

	MongoSchedule(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> days() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("points_schedule");
	}

	private MongoCollection<Document> clockwork() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("points_clockwork");
	}

	@Override
	public void remember(Collection<Due> dues) {
		Map<String, Set<String>> byDay = new TreeMap<>();
		dues.forEach(d -> byDay.computeIfAbsent(LocalDate.ofInstant(d.at(), ZoneOffset.UTC).toString(),
				day -> new LinkedHashSet<>()).add(d.memberId()));
		List<WriteModel<Document>> writes = new ArrayList<>();
		byDay.forEach((day, members) -> writes.add(new UpdateOneModel<>(eq("_id", day),
				Updates.addEachToSet("members", List.copyOf(members)), new UpdateOptions().upsert(true))));
		if (!writes.isEmpty()) {
			days().bulkWrite(writes, new BulkWriteOptions().ordered(false));
		}
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
	public boolean lease(String job, String holder, Instant now, Duration length) {
		Date until = Date.from(now.plus(length));
		try {
			clockwork().insertOne(new Document("_id", "lease:" + job).append("holder", holder).append("until", until));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
		}
		return clockwork().updateOne(
				and(eq("_id", "lease:" + job), or(eq("holder", holder), lt("until", Date.from(now)))),
				Updates.combine(Updates.set("holder", holder), Updates.set("until", until))).getModifiedCount() == 1;
	}
}
