package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.MemberId;
import io.fidelis.members.application.ReferralList;

/**
 * A referrer's friends in {@code members_referrals}, one document per referrer by its id. A friend
 * is added as {id, at}, both from the enrollment, so a redelivered event adds the same entry,
 * which {@code $addToSet} keeps once.
 */
@Component
class MongoReferralList implements ReferralList {

	static final String LISTS = "members_referrals";

	private final MongoDatabaseFactory factory;

	MongoReferralList(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> lists() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(LISTS);
	}

	@Override
	public void add(MemberId referrer, MemberId friend, Instant enrolledAt) {
		var update = Updates.addToSet("friends", new Document("id", friend.value()).append("at", Date.from(enrolledAt)));
		try {
			lists().updateOne(eq("_id", referrer.value()), update, new UpdateOptions().upsert(true));
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			// two first friends at once: the other created the list, so this one is added to it
			lists().updateOne(eq("_id", referrer.value()), update);
		}
	}

	@Override
	public List<Friend> friends(MemberId referrer) {
		Document d = lists().find(eq("_id", referrer.value())).first();
		if (d == null) {
			return List.of();
		}
		return d.getList("friends", Document.class).stream()
				.map(f -> new Friend(new MemberId(f.getString("id")), f.getDate("at").toInstant())).toList();
	}

	@Override
	public void forget(MemberId referrer) {
		lists().deleteOne(eq("_id", referrer.value()));
	}
}
