package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.application.ImportLog;

/** Imports in {@code members_imports}, by import id: counters, status and the first errors. */
@Component
class MongoImportLog implements ImportLog {

	private final MongoDatabaseFactory factory;

	MongoImportLog(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> imports() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_imports");
	}

	@Override
	public boolean start(MemberImport m) {
		try {
			imports().insertOne(new Document("_id", m.id()).append("programId", m.programId()).append("format", m.format())
					.append("status", m.status()).append("total", m.total()).append("processed", 0).append("enrolled", 0)
					.append("existing", 0).append("failed", 0).append("errors", List.of())
					.append("startedAt", Date.from(m.startedAt())));
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
	public void progress(String importId, int processed, int enrolled, int existing, List<MemberImport.RowError> errors) {
		List<Bson> updates = new ArrayList<>(List.of(Updates.inc("processed", processed), Updates.inc("enrolled", enrolled),
				Updates.inc("existing", existing), Updates.inc("failed", errors.size())));
		if (!errors.isEmpty()) {
			updates.add(Updates.pushEach("errors", errors.stream().map(e -> new Document("row", e.row())
					.append("field", e.field()).append("code", e.code()).append("message", e.message())).toList(),
					new PushOptions().slice(MemberImport.REPORTED)));
		}
		imports().updateOne(eq("_id", importId), Updates.combine(updates));
	}

	@Override
	public void finish(String importId, String status, Instant at) {
		imports().updateOne(eq("_id", importId),
				Updates.combine(Updates.set("status", status), Updates.set("finishedAt", Date.from(at))));
	}

	@Override
	public Optional<MemberImport> find(String importId) {
		Document d = imports().find(eq("_id", importId)).first();
		if (d == null) {
			return Optional.empty();
		}
		List<MemberImport.RowError> errors = d.getList("errors", Document.class, List.of()).stream()
				.map(e -> new MemberImport.RowError(e.getInteger("row"), e.getString("field"), e.getString("code"),
						e.getString("message")))
				.sorted(java.util.Comparator.comparingInt(MemberImport.RowError::row)).toList();
		Date finished = d.getDate("finishedAt");
		return Optional.of(new MemberImport(importId, d.getString("programId"), d.getString("format"), d.getString("status"),
				d.getInteger("total"), d.getInteger("processed"), d.getInteger("enrolled"), d.getInteger("existing"),
				d.getInteger("failed"), errors, d.getDate("startedAt").toInstant(),
				finished == null ? null : finished.toInstant()));
	}
}
