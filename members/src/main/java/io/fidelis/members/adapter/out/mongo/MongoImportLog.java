package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.Caller;
import io.fidelis.members.application.ImportLog;

/**
 * Imports in {@code members_imports}, by import id: counters, status, the first errors, the
 * caller and the lease ({@code lease}, {@code renewedAt}); writes under a lease filter on exactly
 * {@code {_id, lease}}, a unique index, so the embedded server finds them by index. The rows wait
 * in {@code members_import_rows}, {@value #ROWS_PER_DOCUMENT} per document keyed
 * {@code importId|n} (far under a document's 16 MB at the largest import), until the import ends.
 * The ids of running imports are one document of {@code members_imports_running}, so that finding
 * them never scans.
 */
@Component
class MongoImportLog implements ImportLog {

	static final int ROWS_PER_DOCUMENT = 500;
	private static final String RUNNING = "running";

	private final MongoDatabaseFactory factory;

	MongoImportLog(MongoDatabaseFactory factory) {
		this.factory = factory;
		imports().createIndex(Indexes.ascending("_id", "lease"), new IndexOptions().unique(true).name("import_lease"));
	}

	private MongoCollection<Document> imports() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_imports");
	}

	private MongoCollection<Document> rows() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_import_rows");
	}

	private MongoCollection<Document> marks() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_imports_running");
	}

	/**
	 * Marks the id running first, then claims it with the record, then keeps the rows and says so on
	 * the record: a crash between any two leaves either a mark whose record is missing or ended
	 * (dropped by the next look), or a running import whose rows are kept or known not to be.
	 */
	@Override
	public boolean start(MemberImport m, Resumable work) {
		marks().updateOne(eq("_id", RUNNING), Updates.addToSet("ids", m.id()), new UpdateOptions().upsert(true));
		try {
			imports().insertOne(new Document("_id", m.id()).append("programId", m.programId()).append("format", m.format())
					.append("status", m.status()).append("total", m.total()).append("processed", 0).append("enrolled", 0)
					.append("existing", 0).append("failed", 0).append("errors", List.of())
					.append("startedAt", Date.from(m.startedAt())).append("lease", 0L)
					.append("renewedAt", Date.from(m.startedAt())).append("caller", callerDocument(work.caller())));
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				return false;
			}
			throw e;
		}
		List<Document> chunks = new ArrayList<>();
		for (int from = 0; from < work.rows().size(); from += ROWS_PER_DOCUMENT) {
			List<List<String>> packed = work.rows().subList(from, Math.min(work.rows().size(), from + ROWS_PER_DOCUMENT))
					.stream().map(MongoImportLog::packedRow).toList();
			chunks.add(new Document("_id", m.id() + "|" + chunks.size()).append("rows", packed));
		}
		if (!chunks.isEmpty()) {
			rows().insertMany(chunks);
		}
		imports().updateOne(eq("_id", m.id()), Updates.set("rowDocuments", chunks.size()));
		return true;
	}

	/** A row as field, value, field, value…: header names may hold characters a field name may not. */
	private static List<String> packedRow(Map<String, String> row) {
		List<String> packed = new ArrayList<>();
		row.forEach((field, value) -> {
			packed.add(field);
			packed.add(value);
		});
		return packed;
	}

	private static Map<String, String> row(List<String> packed) {
		Map<String, String> row = new LinkedHashMap<>();
		for (int i = 0; i + 1 < packed.size(); i += 2) {
			row.put(packed.get(i), packed.get(i + 1));
		}
		return row;
	}

	@Override
	public boolean progress(String importId, long lease, int processed, int enrolled, int existing,
			List<MemberImport.RowError> errors, Instant at) {
		List<Bson> updates = new ArrayList<>(List.of(Updates.inc("processed", processed), Updates.inc("enrolled", enrolled),
				Updates.inc("existing", existing), Updates.inc("failed", errors.size()), Updates.set("renewedAt", Date.from(at))));
		if (!errors.isEmpty()) {
			updates.add(Updates.pushEach("errors", errors.stream().map(e -> new Document("row", e.row())
					.append("field", e.field()).append("code", e.code()).append("message", e.message())).toList(),
					new PushOptions().slice(MemberImport.REPORTED)));
		}
		return imports().updateOne(leased(importId, lease), Updates.combine(updates)).getMatchedCount() == 1;
	}

	@Override
	public boolean renew(String importId, long lease, Instant at) {
		return imports().updateOne(leased(importId, lease), Updates.set("renewedAt", Date.from(at))).getMatchedCount() == 1;
	}

	@Override
	public void finish(String importId, long lease, String status, Instant at) {
		Document ended = imports().findOneAndUpdate(leased(importId, lease),
				Updates.combine(Updates.set("status", status), Updates.set("finishedAt", Date.from(at))));
		if (ended != null) {
			forgetRows(importId, ended);
		}
	}

	private void forgetRows(String importId, Document record) {
		int documents = record.get("rowDocuments") instanceof Number n ? n.intValue()
				: (record.getInteger("total", 0) + ROWS_PER_DOCUMENT - 1) / ROWS_PER_DOCUMENT;
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < documents; i++) {
			ids.add(importId + "|" + i);
		}
		if (!ids.isEmpty()) {
			rows().deleteMany(in("_id", ids));
		}
		marks().updateOne(eq("_id", RUNNING), Updates.pull("ids", importId));
	}

	/** Exactly the keys of the unique index {_id, lease}. */
	private static Document leased(String importId, long lease) {
		return new Document("_id", importId).append("lease", lease);
	}

	@Override
	public Optional<MemberImport> find(String importId) {
		Document d = imports().find(eq("_id", importId)).projection(new Document("caller", 0)).first();
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

	/**
	 * Running ids; a mark whose import has ended is dropped on the way. A mark whose record is missing
	 * is kept: it may be an import starting at this moment (or one whose start crashed, which costs a
	 * read per look).
	 */
	@Override
	public List<String> running() {
		Document marks = marks().find(eq("_id", RUNNING)).first();
		List<String> ids = marks == null ? List.of() : marks.getList("ids", String.class, List.of());
		List<String> running = new ArrayList<>();
		for (String id : ids) {
			Document record = imports().find(eq("_id", id)).projection(new Document("status", 1)).first();
			if (record != null && "RUNNING".equals(record.getString("status"))) {
				running.add(id);
			}
			else if (record != null) {
				marks().updateOne(eq("_id", RUNNING), Updates.pull("ids", id));
			}
		}
		return running;
	}

	@Override
	public Optional<Lease> leaseOf(String importId) {
		Document d = imports().find(eq("_id", importId)).projection(new Document("status", 1).append("lease", 1)
				.append("renewedAt", 1)).first();
		if (d == null || !"RUNNING".equals(d.getString("status"))) {
			return Optional.empty();
		}
		// imports started before leases were kept count as renewed long ago
		long lease = d.get("lease") instanceof Number n ? n.longValue() : 0;
		Date renewed = d.getDate("renewedAt");
		return Optional.of(new Lease(lease, renewed == null ? Instant.EPOCH : renewed.toInstant()));
	}

	@Override
	public OptionalLong takeOver(String importId, long from, Instant at) {
		Document taken = imports().findOneAndUpdate(leased(importId, from),
				Updates.combine(Updates.set("lease", from + 1), Updates.set("renewedAt", Date.from(at))));
		return taken == null || !"RUNNING".equals(taken.getString("status")) ? OptionalLong.empty()
				: OptionalLong.of(from + 1);
	}

	@Override
	public Optional<Resumable> resumable(String importId) {
		Document d = imports().find(eq("_id", importId)).first();
		if (d == null || !(d.get("rowDocuments") instanceof Number documents) || !(d.get("caller") instanceof Document c)) {
			return Optional.empty();
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < documents.intValue(); i++) {
			ids.add(importId + "|" + i);
		}
		Map<String, Document> chunks = new java.util.HashMap<>();
		if (!ids.isEmpty()) {
			rows().find(in("_id", ids)).forEach(chunk -> chunks.put(chunk.getString("_id"), chunk));
		}
		List<Map<String, String>> rows = new ArrayList<>();
		for (String id : ids) {
			Document chunk = chunks.get(id);
			if (chunk == null) {
				return Optional.empty();
			}
			chunk.getList("rows", List.class).forEach(r -> rows.add(row(castStrings(r))));
		}
		return Optional.of(new Resumable(rows, caller(c)));
	}

	@SuppressWarnings("unchecked")
	private static List<String> castStrings(List<?> packed) {
		return (List<String>) packed;
	}

	/** Who started the import, so that a resumed run enrolls under the same idempotency keys. */
	private static Document callerDocument(Caller caller) {
		if (caller instanceof Caller.Staff s) {
			return new Document("kind", "staff").append("id", s.subject()).append("roles", List.copyOf(s.roles()))
					.append("programs", List.copyOf(s.programs()));
		}
		if (caller instanceof Caller.IntegrationClient c) {
			return new Document("kind", "client").append("id", c.clientId()).append("scopes", List.copyOf(c.scopes()))
					.append("programs", List.copyOf(c.programs()));
		}
		return new Document("kind", "member").append("id", ((Caller.Member) caller).subject());
	}

	private static Caller caller(Document d) {
		Set<String> programs = Set.copyOf(d.getList("programs", String.class, List.of()));
		return switch (d.getString("kind")) {
			case "staff" -> new Caller.Staff(d.getString("id"), Set.copyOf(d.getList("roles", String.class)), programs);
			case "client" -> new Caller.IntegrationClient(d.getString("id"), Set.copyOf(d.getList("scopes", String.class)),
					programs);
			default -> new Caller.Member(d.getString("id"));
		};
	}
}
