package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.bson.Document;
import org.bson.types.Binary;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

import io.fidelis.points.application.AccountStore;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.Source;

/**
 * Accounts in {@code points_accounts} (one document per member: balances, open lots packed in
 * one binary value ({@link PackedLots}), and the journal of entries not yet settled), history in
 * {@code points_history} (buckets of {@value #BUCKET} entries keyed {@code memberId|bucket}, each
 * entry packed, {@link PackedEntry}). Every read and write names an exact
 * key; the compound unique index {@code {_id, version}} lets the embedded server run the
 * conditional write by index. The filter must be a plain document with exactly those two keys:
 * the embedded server matches indexes by the filter's keys, and the driver's {@code Filters.and}
 * sends {@code $and}, which it answers by scanning the whole collection (earn fell to 1/s at
 * 100,000 accounts that way).
 */
@Component
class MongoAccountStore implements AccountStore {

	static final String ACCOUNTS = "points_accounts";
	static final String HISTORY = "points_history";
	static final int BUCKET = 64;
	private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

	private final MongoDatabaseFactory factory;
	/** Lots of the accounts read or written last: an earn's read, write and settlement then unpack and pack little. */
	private final RecentLots recent = new RecentLots(256);

	MongoAccountStore(MongoDatabaseFactory factory) {
		this.factory = factory;
		accounts().createIndex(Indexes.ascending("_id", "version"),
				new IndexOptions().unique(true).name("account_version"));
	}

	private MongoCollection<Document> accounts() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(ACCOUNTS);
	}

	private MongoCollection<Document> history() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(HISTORY);
	}

	@Override
	public boolean openIfAbsent(PointsAccount account) {
		try {
			accounts().insertOne(accountDocument(account).append("journal", List.of()));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				return false;
			}
			throw e;
		}
	}

	/** One insert for all of them; the ones open already are told by their duplicate-key errors. */
	@Override
	public List<PointsAccount> openAllIfAbsent(List<PointsAccount> accounts) {
		if (accounts.isEmpty()) {
			return List.of();
		}
		java.util.Set<Integer> open = new java.util.HashSet<>();
		try {
			accounts().insertMany(accounts.stream().map(a -> accountDocument(a).append("journal", List.of())).toList(),
					new com.mongodb.client.model.InsertManyOptions().ordered(false));
		}
		catch (com.mongodb.MongoBulkWriteException e) {
			for (var error : e.getWriteErrors()) {
				if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
				open.add(error.getIndex());
			}
		}
		List<PointsAccount> opened = new ArrayList<>();
		for (int i = 0; i < accounts.size(); i++) {
			if (!open.contains(i)) {
				opened.add(accounts.get(i));
			}
		}
		return opened;
	}

	@Override
	public Optional<Stored> find(String memberId) {
		return Optional.ofNullable(accounts().find(eq("_id", memberId)).first()).map(this::stored);
	}

	@Override
	public Map<String, Stored> findStored(Collection<String> memberIds) {
		Map<String, Stored> found = new HashMap<>();
		if (!memberIds.isEmpty()) {
			// {_id: {$in: [...]}}: the embedded server answers it from the _id index
			accounts().find(in("_id", memberIds.stream().distinct().toList()))
					.forEach(d -> found.put(d.getString("_id"), stored(d)));
		}
		return found;
	}

	private Stored stored(Document found) {
		List<Entry> journal = found.getList("journal", Document.class, List.of()).stream()
				.map(MongoAccountStore::unjournalled).sorted(Comparator.comparingLong(Entry::sequence)).toList();
		return new Stored(account(found), journal);
	}

	@Override
	public Map<String, PointsAccount> findAll(Collection<String> memberIds) {
		Map<String, PointsAccount> found = new HashMap<>();
		if (memberIds.isEmpty()) {
			return found;
		}
		accounts().find(in("_id", memberIds.stream().distinct().toList()))
				.forEach(d -> found.put(d.getString("_id"), account(d)));
		return found;
	}

	@Override
	public boolean apply(long expectedVersion, PointsAccount after, List<Entry> entries) {
		return accounts().updateOne(versioned(expectedVersion, after), change(after, entries)).getModifiedCount() == 1;
	}

	/**
	 * One command for every account. The store tells a bulk write's matches only as a total, so each
	 * write is an upsert on its exact key {_id, version}: a write whose account moved on would insert
	 * a second document with the account's _id, which the _id index refuses with a duplicate-key error
	 * naming that write. Accounts are never deleted, so no upsert can insert.
	 */
	@Override
	public List<Boolean> applyAll(List<Write> writes) {
		if (writes.isEmpty()) {
			return List.of();
		}
		java.util.Set<Integer> moved = new java.util.HashSet<>();
		List<WriteModel<Document>> updates = writes.stream().<WriteModel<Document>>map(w -> new UpdateOneModel<>(
				versioned(w.expectedVersion(), w.after()), change(w.after(), w.entries()), new UpdateOptions().upsert(true)))
				.toList();
		com.mongodb.bulk.BulkWriteResult result;
		try {
			result = accounts().bulkWrite(updates, UNORDERED);
		}
		catch (com.mongodb.MongoBulkWriteException e) {
			for (var error : e.getWriteErrors()) {
				if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
				moved.add(error.getIndex());
			}
			result = e.getWriteResult();
		}
		if (!result.getUpserts().isEmpty()) {
			throw new IllegalStateException("Accounts " + result.getUpserts().stream()
					.map(u -> writes.get(u.getIndex()).after().memberId()).toList() + " vanished during a change");
		}
		List<Boolean> made = new ArrayList<>(writes.size());
		for (int i = 0; i < writes.size(); i++) {
			made.add(!moved.contains(i));
		}
		return made;
	}

	/** Exactly the keys of the unique index {_id, version}: the embedded server finds it by index. */
	private static Document versioned(long expectedVersion, PointsAccount after) {
		return new Document("_id", after.memberId()).append("version", expectedVersion);
	}

	private Bson change(PointsAccount after, List<Entry> entries) {
		Document state = accountDocument(after);
		List<Bson> updates = new ArrayList<>();
		state.forEach((field, value) -> {
			if (!field.equals("_id") && !field.equals("programId") && !field.equals("openedAt")) {
				updates.add(Updates.set(field, value));
			}
		});
		updates.add(Updates.pushEach("journal", entries.stream().map(MongoAccountStore::journalled).toList()));
		return Updates.combine(updates);
	}

	@Override
	public void settleHistory(Map<String, List<Entry>> entriesByMember) {
		List<WriteModel<Document>> writes = new ArrayList<>();
		entriesByMember.forEach((memberId, entries) -> {
			Map<Long, List<Entry>> byBucket = new TreeMap<>();
			entries.forEach(e -> byBucket.computeIfAbsent(e.sequence() / BUCKET, b -> new ArrayList<>()).add(e));
			byBucket.forEach((bucket, inBucket) -> {
				List<Bson> sets = new ArrayList<>();
				sets.add(Updates.set("memberId", memberId));
				inBucket.forEach(e -> sets.add(Updates.set("entries.s" + e.sequence(), new Binary(PackedEntry.pack(e)))));
				writes.add(new UpdateOneModel<>(eq("_id", bucketId(memberId, bucket)), Updates.combine(sets),
						new UpdateOptions().upsert(true)));
			});
		});
		if (!writes.isEmpty()) {
			// one command for the whole batch: one durable write however many members it settles
			history().bulkWrite(writes, UNORDERED);
		}
	}

	@Override
	public void forget(Map<String, List<Entry>> entriesByMember) {
		List<WriteModel<Document>> writes = new ArrayList<>();
		entriesByMember.forEach((memberId, entries) -> {
			if (!entries.isEmpty()) {
				writes.add(new UpdateOneModel<>(eq("_id", memberId), Updates.pullByFilter(new Document("journal",
						new Document("seq", new Document("$in", entries.stream().map(Entry::sequence).toList()))))));
			}
		});
		if (!writes.isEmpty()) {
			accounts().bulkWrite(writes, UNORDERED);
		}
	}

	/**
	 * The account first (its lots, and the entries still in its journal, which settlement will
	 * copy to the history: left as they were, an erasure made before they settled let their text
	 * into the history after it), then the history written so far. Journal entries are rewritten
	 * by sequence, so an entry settled and dropped meanwhile is not put back.
	 */
	@Override
	public void scrubFreeText(String memberId) {
		Optional<Stored> stored = find(memberId);
		if (stored.isEmpty()) {
			return;
		}
		// under the version guard, so no concurrent change is overwritten
		for (int attempt = 0; attempt < 16; attempt++) {
			Stored current = find(memberId).orElseThrow();
			List<Lot> lots = current.account().lots().stream().map(Lot::withoutFreeText).toList();
			List<Bson> sets = new ArrayList<>();
			List<Bson> which = new ArrayList<>();
			sets.add(Updates.set("lots", new Binary(PackedLots.pack(lots))));
			for (Entry entry : current.journal()) {
				String name = "j" + which.size();
				sets.add(Updates.set("journal.$[" + name + "]", journalled(entry.withoutFreeText())));
				which.add(eq(name + ".seq", entry.sequence()));
			}
			if (accounts().updateOne(new Document("_id", memberId).append("version", current.account().version()),
					Updates.combine(sets), new UpdateOptions().arrayFilters(which.isEmpty() ? null : which))
					.getMatchedCount() == 1) {
				recent.forget(memberId);
				stored = Optional.of(current);
				break;
			}
		}
		PointsAccount account = stored.get().account();
		for (long bucket = 0; bucket <= account.version() / BUCKET; bucket++) {
			Document found = history().find(eq("_id", bucketId(memberId, bucket))).first();
			if (found == null) {
				continue;
			}
			Document entries = found.get("entries", new Document());
			List<Bson> sets = new ArrayList<>();
			entries.forEach((key, value) -> {
				Entry settled = settled(value);
				if (settled != null) { // written again packed, whichever form it was stored in
					sets.add(Updates.set("entries." + key, new Binary(PackedEntry.pack(settled.withoutFreeText()))));
				}
			});
			if (!sets.isEmpty()) {
				history().updateOne(eq("_id", bucketId(memberId, bucket)), Updates.combine(sets));
			}
		}
	}

	@Override
	public List<String> withUnsettledEntries() {
		return accounts().find(com.mongodb.client.model.Filters.exists("journal.0"))
				.projection(new Document("_id", 1)).map(d -> d.getString("_id")).into(new ArrayList<>());
	}

	@Override
	public Optional<Entry> entry(String memberId, long sequence) {
		Document bucket = history().find(eq("_id", bucketId(memberId, sequence / BUCKET))).first();
		if (bucket != null) {
			Document entries = bucket.get("entries", Document.class);
			Entry settled = entries == null ? null : settled(entries.get("s" + sequence));
			if (settled != null) {
				return Optional.of(settled);
			}
		}
		return find(memberId).flatMap(s -> s.journal().stream().filter(e -> e.sequence() == sequence).findFirst());
	}

	@Override
	public Optional<Entry> entryOfRequest(String memberId, String request, long after, long upTo) {
		for (long bucket = (after + 1) / BUCKET; bucket <= upTo / BUCKET; bucket++) {
			Document found = history().find(eq("_id", bucketId(memberId, bucket))).first();
			if (found == null || !(found.get("entries") instanceof Document entries)) {
				continue;
			}
			for (Object value : entries.values()) {
				Entry entry = settled(value);
				if (entry != null && request.equals(entry.request()) && entry.sequence() > after
						&& entry.sequence() <= upTo) {
					return Optional.of(entry);
				}
			}
		}
		return Optional.empty();
	}

	@Override
	public HistoryPage history(String memberId, long beforeSequence, int limit, int scanLimit, HistoryFilter filter) {
		List<Entry> matches = new ArrayList<>();
		Map<Long, Entry> unsettled = new HashMap<>();
		find(memberId).ifPresent(s -> s.journal().forEach(e -> unsettled.put(e.sequence(), e)));
		long sequence = beforeSequence - 1;
		int scanned = 0;
		Document bucket = null;
		long bucketNumber = -1;
		while (sequence >= 1 && matches.size() < limit && scanned < scanLimit) {
			if (sequence / BUCKET != bucketNumber) {
				bucketNumber = sequence / BUCKET;
				Document found = history().find(eq("_id", bucketId(memberId, bucketNumber))).first();
				bucket = found == null ? new Document() : found.get("entries", new Document());
			}
			Entry settled = settled(bucket.get("s" + sequence));
			Entry entry = settled != null ? settled : unsettled.get(sequence);
			if (entry != null && filter.accepts(entry)) {
				matches.add(entry);
			}
			scanned++;
			sequence--;
		}
		return new HistoryPage(matches, sequence + 1);
	}

	/**
	 * A history bucket's entry: packed since 2026-12-05, a subdocument in buckets written before
	 * (a bucket may hold both); null when there is none.
	 */
	private static Entry settled(Object stored) {
		if (stored instanceof Binary packed) {
			return PackedEntry.unpack(packed.getData());
		}
		return stored instanceof Document d ? entry(d) : null;
	}

	private static String bucketId(String memberId, long bucket) {
		return memberId + "|" + bucket;
	}

	// ---- documents ----------------------------------------------------------------------

	private Document accountDocument(PointsAccount a) {
		return new Document("_id", a.memberId())
				.append("programId", a.programId())
				.append("version", a.version())
				.append("available", a.available())
				.append("pending", a.pending())
				.append("debt", a.debt())
				.append("lifetimeEarned", a.lifetimeEarned())
				.append("lifetimeRedeemed", a.lifetimeRedeemed())
				.append("openedAt", Date.from(a.openedAt()))
				.append("lots", packed(a.memberId(), a.lots()));
	}

	private Binary packed(String memberId, List<Lot> lots) {
		return recent.pack(memberId, lots);
	}

	private PointsAccount account(Document d) {
		// packed since 2026-12-05; accounts written before hold one subdocument per lot until their next change
		List<Lot> lots = d.get("lots") instanceof Binary packed ? recent.read(d.getString("_id"), packed)
				: d.getList("lots", Document.class, List.of()).stream().map(MongoAccountStore::lot).toList();
		return new PointsAccount(d.getString("_id"), d.getString("programId"), number(d, "version"), lots,
				number(d, "debt"), number(d, "lifetimeEarned"), number(d, "lifetimeRedeemed"),
				d.getDate("openedAt").toInstant());
	}

	private static Lot lot(Document d) {
		Date expires = d.getDate("expiresAt");
		return new Lot(number(d, "id"), number(d, "amount"), number(d, "remaining"), number(d, "reversed"),
				d.getBoolean("pending"), d.getDate("earnedAt").toInstant(), d.getDate("availableAt").toInstant(),
				expires == null ? null : expires.toInstant(), source(d.get("source", Document.class)), d.getString("tx"),
				d.getString("by"));
	}

	/**
	 * A journalled entry: its sequence (settling drops entries from the journal by it) and the entry
	 * packed as the history keeps it. Every read and write of the account carries the journal, so
	 * two values per entry instead of fourteen is less for the store to copy, compare and log.
	 */
	private static Document journalled(Entry e) {
		return new Document("seq", e.sequence()).append("e", new Binary(PackedEntry.pack(e)));
	}

	/** An entry of the journal: packed since 2026-12-06, one value per field in journals written before. */
	private static Entry unjournalled(Document d) {
		return d.get("e") instanceof Binary packed ? PackedEntry.unpack(packed.getData()) : entry(d);
	}

	private static Entry entry(Document d) {
		return new Entry(number(d, "seq"), EntryType.valueOf(d.getString("type")), number(d, "available"),
				number(d, "pending"), d.getDate("at").toInstant(), d.getString("tx"),
				source(d.get("source", Document.class)), d.getString("reason"), d.getString("request"),
				d.getString("counterpart"), number(d, "availableAfter"), number(d, "pendingAfter"),
				d.get("spend") instanceof Document spend ? new io.fidelis.points.domain.Spend(
						new java.math.BigDecimal(spend.getString("amount")), spend.getString("currency")) : null);
	}

	private static Source source(Document d) {
		return d == null ? null : new Source(Channel.valueOf(d.getString("channel")), d.getString("region"),
				d.getString("store"), d.getString("partner"), d.getString("ref"));
	}

	private static long number(Document d, String field) {
		return ((Number) d.get(field)).longValue();
	}
}
