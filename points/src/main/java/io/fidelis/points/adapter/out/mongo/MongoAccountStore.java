package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.in;

import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;

import io.fidelis.points.application.AccountStore;
import io.fidelis.points.domain.PointsAccount;

/** Accounts in {@code points_accounts}, keyed by member id. */
@Component
class MongoAccountStore implements AccountStore {

	static final String ACCOUNTS = "points_accounts";

	private final MongoDatabaseFactory factory;

	MongoAccountStore(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> accounts() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(ACCOUNTS);
	}

	@Override
	public boolean openIfAbsent(PointsAccount account) {
		try {
			accounts().insertOne(new Document("_id", account.memberId()).append("programId", account.programId())
					.append("balance", account.balance()).append("openedAt", Date.from(account.openedAt())));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				return false;
			}
			throw e;
		}
	}

	@Override
	public Map<String, PointsAccount> findAll(Collection<String> memberIds) {
		Map<String, PointsAccount> found = new HashMap<>();
		if (memberIds.isEmpty()) {
			return found;
		}
		accounts().find(in("_id", memberIds.stream().distinct().toList())).forEach(d -> found.put(d.getString("_id"),
				new PointsAccount(d.getString("_id"), d.getString("programId"), ((Number) d.get("balance")).longValue(),
						d.getDate("openedAt").toInstant())));
		return found;
	}
}
