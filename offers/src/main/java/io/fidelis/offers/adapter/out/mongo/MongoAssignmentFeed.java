package io.fidelis.offers.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.stereotype.Component;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.fidelis.offers.application.AssignmentFeed;

/**
 * {@code offers_feed}: one document per second ({@code _id} = the epoch second as text) listing
 * the members given an offer in it, appended by every node (the same shape as points' balance feed). Written outside any
 * transaction (many nodes append to the same second; a transaction would make them conflict),
 * and each write also removes the seconds that fell out of the last {@link #KEPT} seconds, by
 * exact keys, so the collection holds a few minutes.
 */
@Component
class MongoAssignmentFeed implements AssignmentFeed {

	private static final Logger log = LoggerFactory.getLogger(MongoAssignmentFeed.class);
	/** Seconds kept: readers look a few seconds back; the rest is there for slow clocks. */
	static final long KEPT = 120;
	/** After a start, removal reaches this far back for what a stopped node left. */
	private static final long LOOK_BACK_AT_START = 3_600;

	private final MongoDatabaseFactory factory;
	private final Clock clock;
	private long removedUpTo = -1;

	MongoAssignmentFeed(MongoDatabaseFactory factory, Clock clock) {
		this.factory = factory;
		this.clock = clock;
	}

	private MongoCollection<Document> feed() {
		return factory.getMongoDatabase().getCollection("offers_feed");
	}

	@Override
	public void assigned(Collection<String> memberIds) {
		if (memberIds.isEmpty()) {
			return;
		}
		long second = clock.instant().getEpochSecond();
		List<WriteModel<Document>> writes = new ArrayList<>();
		writes.add(new UpdateOneModel<>(eq("_id", Long.toString(second)),
				Updates.pushEach("members", List.copyOf(memberIds)), new UpdateOptions().upsert(true)));
		List<String> old = outOfWindow(second);
		if (!old.isEmpty()) {
			writes.add(new DeleteManyModel<>(in("_id", old)));
		}
		try {
			feed().bulkWrite(writes, new BulkWriteOptions().ordered(false));
		}
		catch (MongoException e) {
			log.debug("An assignment could not be noted for live subscribers: {}", e.toString());
		}
	}

	/** The seconds to remove now: those since the last removal that left the window. */
	private synchronized List<String> outOfWindow(long now) {
		long newest = now - KEPT;
		if (removedUpTo < 0) {
			removedUpTo = newest - LOOK_BACK_AT_START;
		}
		List<String> old = new ArrayList<>();
		for (long s = removedUpTo + 1; s <= newest && old.size() < LOOK_BACK_AT_START; s++) {
			old.add(Long.toString(s));
		}
		removedUpTo = Math.max(removedUpTo, newest);
		return old;
	}

	@Override
	public Map<Long, List<String>> noted(Collection<Long> seconds) {
		Map<Long, List<String>> noted = new HashMap<>();
		if (seconds.isEmpty()) {
			return noted;
		}
		feed().find(in("_id", seconds.stream().map(s -> Long.toString(s)).toList()))
				.forEach(d -> noted.put(Long.parseLong(d.getString("_id")), d.getList("members", String.class)));
		return noted;
	}
}
