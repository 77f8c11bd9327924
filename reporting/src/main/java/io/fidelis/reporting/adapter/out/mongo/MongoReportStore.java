package io.fidelis.reporting.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.model.Updates;

import io.fidelis.reporting.application.ReportSettings;
import io.fidelis.reporting.application.ReportStore;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Figures;
import io.fidelis.reporting.domain.Grouping;
import io.fidelis.reporting.domain.Totals;

/**
 * Reporting's collections, all addressed by exact keys:
 * <ul>
 * <li>{@code reporting_activities}: every activity as it came ({@code _id} = activity id), the
 * source of a rebuild;</li>
 * <li>{@code reporting_days}: one document per program and day ({@code program|2026-11-27})
 * with figures by region and channel, store, partner, tier and member changes;</li>
 * <li>{@code reporting_totals}: one per program: outstanding points, tier mix, members;</li>
 * <li>{@code reporting_active}: per program and member, which activity was their first of each
 * day, week and month;</li>
 * <li>{@code reporting_settings}: what a point costs.</li>
 * </ul>
 * Without transactions across documents, counting once is a small protocol: each figures
 * document takes the increment together with the activity's id in its {@code pending} list,
 * guarded by that id not being there; the activity is kept as {@code counted} once every figure
 * has it, and the ids leave the lists later, in batches. (A single {@link #fold} keeps the
 * activity first, as {@code new}, and marks it counted at the end.) A crash anywhere in between
 * is healed by the redelivery, which finds where it stopped.
 */
@Component
class MongoReportStore implements ReportStore {

	private static final int DUPLICATE_KEY = 11000;
	private static final String NONE = "~";

	private final MongoDatabaseFactory factory;
	/** Batches that fell back to one activity at a time (a revision guard failed): tests look at it. */
	final java.util.concurrent.atomic.AtomicLong batchesFoldedSingly = new java.util.concurrent.atomic.AtomicLong();
	private final java.util.Queue<String[]> settled = new java.util.concurrent.ConcurrentLinkedQueue<>();
	private final java.util.concurrent.ScheduledExecutorService clearing = java.util.concurrent.Executors
			.newSingleThreadScheduledExecutor(r -> {
				Thread t = new Thread(r, "reporting-settle");
				t.setDaemon(true);
				return t;
			});

	@org.springframework.beans.factory.annotation.Autowired
	MongoReportStore(MongoDatabaseFactory factory) {
		this(factory, true);
	}

	/** @param clearInBackground false in tests that clear settled ids themselves, when they choose */
	MongoReportStore(MongoDatabaseFactory factory, boolean clearInBackground) {
		this.factory = factory;
		for (String name : List.of("reporting_days", "reporting_totals", "reporting_active")) {
			collection(name).createIndex(com.mongodb.client.model.Indexes.ascending("_id", "rev"),
					new com.mongodb.client.model.IndexOptions().unique(true).name(name + "_rev"));
		}
		if (!clearInBackground) {
			return;
		}
		clearing.scheduleWithFixedDelay(() -> {
			try {
				clearSettled();
			}
			catch (RuntimeException e) {
				org.slf4j.LoggerFactory.getLogger(MongoReportStore.class).warn("Could not clear settled ids: {}", e.toString());
			}
		}, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	private MongoCollection<Document> collection(String name) {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(name);
	}

	@Override
	public void fold(Activity delivered, LocalDate deliveredDay) {
		MongoCollection<Document> activities = collection("reporting_activities");
		Document kept = null;
		try {
			activities.insertOne(toDocument(delivered, deliveredDay));
		}
		catch (MongoException e) {
			if (e.getCode() != DUPLICATE_KEY) {
				throw e;
			}
			kept = activities.find(eq("_id", delivered.id())).first(); // a redelivery
		}
		if (kept != null && "counted".equals(kept.getString("state"))) {
			return; // a redelivery of something already counted
		}
		// counted with the flags and day it was first kept with, whatever this delivery says
		Activity a = kept == null ? delivered : fromDocument(kept);
		LocalDate day = kept == null ? deliveredDay : LocalDate.parse(kept.getString("day"));
		String dayId = a.program() + "|" + day;
		Increments increments = increments(a);
		Map<String, Long> dayIncrements = increments.day();
		Map<String, Long> totalIncrements = increments.total();
		MongoCollection<Document> days = collection("reporting_days");
		MongoCollection<Document> totals = collection("reporting_totals");
		java.util.function.BooleanSupplier countedMeanwhile = () -> counted(activities, List.of(a.id())).contains(a.id());
		addOnce(days, dayId, a.id(), dayIncrements, new Document("program", a.program()).append("day", day.toString()),
				countedMeanwhile);
		addOnce(totals, a.program(), a.id(), totalIncrements, new Document("program", a.program()), countedMeanwhile);
		activities.updateOne(eq("_id", a.id()), Updates.set("state", "counted"));
		// once counted, the id in the pending lists is never looked at again: clear them in batches
		settled.add(new String[] { "reporting_days", dayId, a.id() });
		settled.add(new String[] { "reporting_totals", a.program(), a.id() });
	}

	/** What an activity adds to its day's document and to its program's totals. */
	private record Increments(Map<String, Long> day, Map<String, Long> total) {
	}

	private static Increments increments(Activity a) {
		Map<String, Long> dayIncrements = new LinkedHashMap<>();
		Map<String, Long> totalIncrements = new LinkedHashMap<>();
		Map<String, Long> figures = Figures.of(a);
		String slice = "c." + encode(a.region()) + "." + encode(a.channel()) + ".";
		figures.forEach((name, value) -> {
			dayIncrements.merge(slice + name, value, Long::sum);
			if (a.store() != null) {
				dayIncrements.merge("s." + encode(a.store()) + "." + name, value, Long::sum);
			}
			if (a.partner() != null) {
				dayIncrements.merge("p." + encode(a.partner()) + "." + name, value, Long::sum);
			}
		});
		if (a.kind().movesPoints()) {
			totalIncrements.put("points", a.points());
		}
		if (a.kind() == Activity.Kind.TIER_CHANGED) {
			dayIncrements.merge("t." + encode(a.tierFrom()), -1L, Long::sum);
			dayIncrements.merge("t." + encode(a.tierTo()), 1L, Long::sum);
			totalIncrements.merge("t." + encode(a.tierFrom()), -1L, Long::sum);
			totalIncrements.merge("t." + encode(a.tierTo()), 1L, Long::sum);
		}
		if (a.kind() == Activity.Kind.ENROLLED || a.kind() == Activity.Kind.CLOSED) {
			long change = a.kind() == Activity.Kind.ENROLLED ? 1 : -1;
			dayIncrements.put("m", change);
			totalIncrements.put("m", change);
		}
		if (a.kind() == Activity.Kind.ENROLLED) {
			// members start without a tier
			dayIncrements.merge("t." + NONE, 1L, Long::sum);
			totalIncrements.merge("t." + NONE, 1L, Long::sum);
		}
		return new Increments(dayIncrements, totalIncrements);
	}

	/**
	 * Many activities in a handful of writes: each day and totals document changed once for all
	 * of the batch's activities on it, then the activities kept, counted, in one insert (one
	 * durable write per activity). Each figures document is guarded by its revision as in
	 * {@link #fold}; when a guard fails (another node, a rebuild) or anything else goes wrong, the
	 * batch is folded again one activity at a time, which finds whatever part was already done.
	 */
	@Override
	public void foldAll(List<Folding> batch) {
		try {
			if (foldTogether(batch)) {
				return;
			}
		}
		catch (MongoException e) {
			if (e.getCode() != DUPLICATE_KEY && !(e instanceof MongoBulkWriteException)) {
				throw e;
			}
		}
		batchesFoldedSingly.incrementAndGet();
		batch.forEach(f -> fold(f.activity(), f.day()));
	}

	/**
	 * False when a revision guard failed: some of the batch may be folded, the rest is not.
	 * <p>
	 * One write per activity: the activities already kept are read first (a redelivery, or one
	 * kept {@code new} by a single fold that stopped half-way), the figures take the rest with
	 * their ids in the {@code pending} lists, and only then are the activities kept, already
	 * {@code counted}. A crash after the figures and before the insert leaves the ids pending,
	 * so the redelivery adds nothing twice and keeps the activities then.
	 */
	private boolean foldTogether(List<Folding> batch) {
		MongoCollection<Document> activities = collection("reporting_activities");
		Map<String, Folding> byId = new LinkedHashMap<>();
		batch.forEach(f -> byId.putIfAbsent(f.activity().id(), f));
		Set<String> keptNew = new LinkedHashSet<>();
		for (Document kept : activities.find(in("_id", new ArrayList<>(byId.keySet())))) {
			Activity a = fromDocument(kept);
			if ("counted".equals(kept.getString("state"))) {
				byId.remove(a.id());
			}
			else {
				// counted with the flags and day it was first kept with, whatever this delivery says
				byId.put(a.id(), new Folding(a, LocalDate.parse(kept.getString("day"))));
				keptNew.add(a.id());
			}
		}
		if (byId.isEmpty()) {
			return true;
		}
		Map<String, Cell> days = new LinkedHashMap<>();
		Map<String, Cell> totals = new LinkedHashMap<>();
		byId.values().forEach(f -> {
			Activity a = f.activity();
			Increments increments = increments(a);
			days.computeIfAbsent(a.program() + "|" + f.day(), id -> new Cell(new Document("program", a.program())
					.append("day", f.day().toString()))).add(a.id(), increments.day());
			totals.computeIfAbsent(a.program(), id -> new Cell(new Document("program", a.program())))
					.add(a.id(), increments.total());
		});
		java.util.function.Function<Collection<String>, Set<String>> countedMeanwhile = ids -> counted(activities, ids);
		if (!addAllOnce(collection("reporting_days"), days, countedMeanwhile)
				|| !addAllOnce(collection("reporting_totals"), totals, countedMeanwhile)) {
			return false;
		}
		List<Document> fresh = byId.values().stream().filter(f -> !keptNew.contains(f.activity().id()))
				.map(f -> toDocument(f.activity(), f.day()).append("state", "counted")).toList();
		List<String> markCounted = new ArrayList<>(keptNew);
		if (!fresh.isEmpty()) {
			try {
				activities.insertMany(fresh, new InsertManyOptions().ordered(false));
			}
			catch (MongoBulkWriteException e) {
				if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
					throw e;
				}
				// kept meanwhile by a concurrent delivery (as new or counted): counted is right either way
				e.getWriteErrors().forEach(w -> markCounted.add(fresh.get(w.getIndex()).getString("_id")));
			}
		}
		if (!markCounted.isEmpty()) {
			activities.updateMany(in("_id", markCounted), Updates.set("state", "counted"));
		}
		days.forEach((id, cell) -> cell.activities.forEach(a -> settled.add(new String[] { "reporting_days", id, a })));
		totals.forEach((id, cell) -> cell.activities.forEach(a -> settled.add(new String[] { "reporting_totals", id, a })));
		return true;
	}

	/** A figures document's share of a batch: the activities on it and what they add together. */
	private static final class Cell {
		final Document onInsert;
		final List<String> activities = new ArrayList<>();
		final List<Map<String, Long>> increments = new ArrayList<>();

		Cell(Document onInsert) {
			this.onInsert = onInsert;
		}

		void add(String activity, Map<String, Long> adds) {
			activities.add(activity);
			increments.add(adds);
		}
	}

	/**
	 * {@link #addOnce} for many documents in one read and one write: each document takes the sum
	 * of its activities not yet in its {@code pending} list. False when a revision guard failed.
	 */
	/**
	 * Which of these activities are kept as counted. Asked again after a figures document was read
	 * without an activity in its pending list: another node may have counted it and cleared its id
	 * from the list since this delivery first looked (two nodes settle the same journal entries, so
	 * both deliver them); the activity was marked counted before its id could be cleared.
	 */
	private static Set<String> counted(MongoCollection<Document> activities, Collection<String> ids) {
		Set<String> counted = new java.util.HashSet<>();
		if (!ids.isEmpty()) {
			activities.find(in("_id", new ArrayList<>(ids))).projection(new Document("state", 1)).forEach(d -> {
				if ("counted".equals(d.getString("state"))) {
					counted.add(d.getString("_id"));
				}
			});
		}
		return counted;
	}

	private static boolean addAllOnce(MongoCollection<Document> cells, Map<String, Cell> byId,
			java.util.function.Function<Collection<String>, Set<String>> countedMeanwhile) {
		Map<String, Document> found = new HashMap<>();
		cells.find(in("_id", new ArrayList<>(byId.keySet()))).projection(new Document("pending", 1).append("rev", 1))
				.forEach(d -> found.put(d.getString("_id"), d));
		List<Document> missing = byId.entrySet().stream().filter(e -> !found.containsKey(e.getKey()))
				.map(e -> new Document(e.getValue().onInsert).append("_id", e.getKey()).append("rev", 0L)
						.append("pending", List.of()))
				.toList();
		if (!missing.isEmpty()) {
			cells.insertMany(missing, new InsertManyOptions().ordered(false)); // a concurrent insert fails the batch: it is redone singly
			missing.forEach(d -> found.put(d.getString("_id"), d));
		}
		Set<String> notPending = new LinkedHashSet<>();
		byId.forEach((id, cell) -> {
			List<String> pending = found.get(id).getList("pending", String.class, List.of());
			cell.activities.stream().filter(a -> !pending.contains(a)).forEach(notPending::add);
		});
		Set<String> countedElsewhere = countedMeanwhile.apply(notPending);
		List<WriteModel<Document>> writes = new ArrayList<>();
		byId.forEach((id, cell) -> {
			Document current = found.get(id);
			List<String> pending = current.getList("pending", String.class, List.of());
			Map<String, Long> sum = new LinkedHashMap<>();
			List<String> adding = new ArrayList<>();
			for (int i = 0; i < cell.activities.size(); i++) {
				if (!pending.contains(cell.activities.get(i)) && !countedElsewhere.contains(cell.activities.get(i))) {
					adding.add(cell.activities.get(i));
					cell.increments.get(i).forEach((path, value) -> sum.merge(path, value, Long::sum));
				}
			}
			if (adding.isEmpty()) {
				return;
			}
			List<Bson> changes = new ArrayList<>();
			sum.forEach((path, value) -> changes.add(Updates.inc(path, value)));
			changes.add(Updates.pushEach("pending", adding));
			changes.add(Updates.inc("rev", 1L));
			writes.add(new UpdateOneModel<>(new Document("_id", id).append("rev", number(current.get("rev"))),
					Updates.combine(changes)));
		});
		return writes.isEmpty() || cells.bulkWrite(writes, new BulkWriteOptions().ordered(false)).getMatchedCount() == writes.size();
	}

	/**
	 * Takes counted activities' ids out of the pending lists, one write per document for a whole
	 * batch. Ids a crash leaves behind are harmless: their activity is marked counted.
	 */
	void clearSettled() {
		Map<String, Map<String, java.util.Set<String>>> byCollection = new LinkedHashMap<>();
		String[] next;
		while ((next = settled.poll()) != null) {
			byCollection.computeIfAbsent(next[0], c -> new LinkedHashMap<>())
					.computeIfAbsent(next[1], c -> new java.util.HashSet<>()).add(next[2]);
		}
		byCollection.forEach((name, cells) -> clear(collection(name), cells));
	}

	/**
	 * Each cell's pending list is read and set to what is left, guarded by the revision it was read
	 * at: {@code $pullAll} on the embedded server compares every pending id with every id taken
	 * out, a cost that grows with the square of a batch. The revision is raised, so that two
	 * clearers (two nodes) never put back what the other took out; a cell written meanwhile is read
	 * again, and after a few tries its ids are pulled as before.
	 */
	private static void clear(MongoCollection<Document> cells, Map<String, java.util.Set<String>> idsByCell) {
		Map<String, java.util.Set<String>> left = new HashMap<>(idsByCell);
		for (int attempt = 0; attempt < 3 && !left.isEmpty(); attempt++) {
			List<WriteModel<Document>> writes = new ArrayList<>();
			List<String> written = new ArrayList<>();
			cells.find(in("_id", new ArrayList<>(left.keySet()))).projection(new Document("pending", 1).append("rev", 1))
					.forEach(d -> {
						String id = d.getString("_id");
						java.util.Set<String> out = left.get(id);
						List<String> pending = d.getList("pending", String.class, List.of());
						List<String> kept = pending.stream().filter(p -> !out.contains(p)).toList();
						if (kept.size() < pending.size()) {
							writes.add(new UpdateOneModel<>(new Document("_id", id).append("rev", number(d.get("rev"))),
									Updates.combine(Updates.set("pending", kept), Updates.inc("rev", 1L))));
							written.add(id);
						}
					});
			Map<String, java.util.Set<String>> again = new HashMap<>();
			if (!writes.isEmpty()
					&& cells.bulkWrite(writes, new BulkWriteOptions().ordered(false)).getMatchedCount() < writes.size()) {
				written.forEach(id -> again.put(id, left.get(id))); // which missed is found by reading them again
			}
			left.clear();
			left.putAll(again);
		}
		left.forEach((id, ids) -> cells.updateOne(eq("_id", id), Updates.pullAll("pending", new ArrayList<>(ids))));
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		clearing.shutdown();
		clearSettled();
	}

	/**
	 * Adds the increments unless this activity's id shows they were added already. The write is
	 * guarded by the document's revision, a plain {@code {_id, rev}} filter that the embedded
	 * server answers from the compound index (a guard on {@code pending} would make it scan).
	 */
	private static void addOnce(MongoCollection<Document> cells, String cellId, String activityId,
			Map<String, Long> increments, Document onInsert, java.util.function.BooleanSupplier countedMeanwhile) {
		List<Bson> changes = new ArrayList<>();
		increments.forEach((path, value) -> changes.add(Updates.inc(path, value)));
		changes.add(Updates.push("pending", activityId));
		changes.add(Updates.inc("rev", 1L));
		Bson update = Updates.combine(changes);
		for (int attempt = 0; attempt < 50; attempt++) {
			Document cell = cells.find(eq("_id", cellId)).projection(new Document("pending", 1).append("rev", 1)).first();
			if (cell == null) {
				try {
					cells.insertOne(new Document(onInsert).append("_id", cellId).append("rev", 0L).append("pending", List.of()));
				}
				catch (MongoException e) {
					if (e.getCode() != DUPLICATE_KEY) {
						throw e;
					}
				}
				continue;
			}
			if (cell.getList("pending", String.class, List.of()).contains(activityId)) {
				return; // added already, before a crash or by a concurrent delivery
			}
			if (countedMeanwhile.getAsBoolean()) {
				return; // counted by another node, and its id already cleared from the list
			}
			if (cells.updateOne(new Document("_id", cellId).append("rev", number(cell.get("rev"))), update)
					.getMatchedCount() == 1) {
				return;
			}
			// another activity changed the document meanwhile: look again
		}
		throw new IllegalStateException("Could not count activity " + activityId + " into " + cellId);
	}

	@Override
	public Firsts claimFirsts(String program, String member, LocalDate day, String activityId) {
		MongoCollection<Document> active = collection("reporting_active");
		String id = program + "|" + member;
		List<String> paths = List.of("d." + Grouping.DAY.label(day), "w." + Grouping.WEEK.label(day),
				"o." + Grouping.MONTH.label(day));
		for (int attempt = 0; attempt < 50; attempt++) {
			Document doc = active.find(eq("_id", id)).first();
			if (doc == null) {
				try {
					active.insertOne(new Document("_id", id).append("rev", 0L));
				}
				catch (MongoException e) {
					if (e.getCode() != DUPLICATE_KEY) {
						throw e;
					}
				}
				continue;
			}
			List<Bson> sets = new ArrayList<>();
			Map<String, String> holders = new HashMap<>();
			for (String path : paths) {
				String holder = doc.getEmbedded(List.of(path.split("\\.", 2)), String.class);
				if (holder == null) {
					sets.add(Updates.set(path, activityId));
					holders.put(path, activityId);
				}
				else {
					holders.put(path, holder);
				}
			}
			if (!sets.isEmpty()) {
				sets.add(Updates.inc("rev", 1L));
				if (active.updateOne(new Document("_id", id).append("rev", number(doc.get("rev"))), Updates.combine(sets))
						.getMatchedCount() == 0) {
					continue; // another activity of this member came first: look again
				}
				forgetOldDays(active, id, doc);
			}
			return new Firsts(activityId.equals(holders.get(paths.get(0))), activityId.equals(holders.get(paths.get(1))),
					activityId.equals(holders.get(paths.get(2))));
		}
		throw new IllegalStateException("Could not tell whether " + activityId + " is a first activity");
	}

	/**
	 * {@link #claimFirsts} for many activities in one read and one write, in the batch's order
	 * (a member's second activity of a day in the batch is not their first). When a revision
	 * guard fails, every claim is made again singly, which answers the same for what was claimed.
	 */
	@Override
	public Map<String, Firsts> claimFirstsAll(List<FirstsClaim> claims) {
		try {
			Map<String, Firsts> claimed = claimTogether(claims);
			if (claimed != null) {
				return claimed;
			}
		}
		catch (MongoBulkWriteException e) {
			// a document inserted concurrently: claimed singly below
		}
		batchesFoldedSingly.incrementAndGet();
		Map<String, Firsts> singly = new LinkedHashMap<>();
		claims.forEach(c -> singly.put(c.activityId(), claimFirsts(c.program(), c.member(), c.day(), c.activityId())));
		return singly;
	}

	private Map<String, Firsts> claimTogether(List<FirstsClaim> claims) {
		MongoCollection<Document> active = collection("reporting_active");
		Map<String, Document> docs = new LinkedHashMap<>();
		claims.forEach(c -> docs.put(c.program() + "|" + c.member(), null));
		active.find(in("_id", new ArrayList<>(docs.keySet()))).forEach(d -> docs.put(d.getString("_id"), d));
		List<Document> missing = new ArrayList<>();
		docs.replaceAll((id, d) -> {
			if (d == null) {
				missing.add(new Document("_id", id).append("rev", 0L));
				return new Document("_id", id).append("rev", 0L);
			}
			return d;
		});
		if (!missing.isEmpty()) {
			active.insertMany(missing, new InsertManyOptions().ordered(false));
		}
		Map<String, Firsts> answers = new LinkedHashMap<>();
		Map<String, List<Bson>> sets = new LinkedHashMap<>();
		for (FirstsClaim c : claims) {
			String id = c.program() + "|" + c.member();
			Document doc = docs.get(id);
			boolean[] first = new boolean[3];
			List<String> paths = List.of("d." + Grouping.DAY.label(c.day()), "w." + Grouping.WEEK.label(c.day()),
					"o." + Grouping.MONTH.label(c.day()));
			for (int i = 0; i < 3; i++) {
				String[] path = paths.get(i).split("\\.", 2);
				Document periods = doc.get(path[0], Document.class);
				String holder = periods == null ? null : periods.getString(path[1]);
				if (holder == null) {
					// held from now on, also for this batch's later activities of the member
					if (periods == null) {
						periods = new Document();
						doc.put(path[0], periods);
					}
					periods.put(path[1], c.activityId());
					sets.computeIfAbsent(id, k -> new ArrayList<>()).add(Updates.set(paths.get(i), c.activityId()));
					holder = c.activityId();
				}
				first[i] = c.activityId().equals(holder);
			}
			answers.put(c.activityId(), new Firsts(first[0], first[1], first[2]));
		}
		List<WriteModel<Document>> writes = new ArrayList<>();
		sets.forEach((id, changes) -> {
			List<Bson> all = new ArrayList<>(changes);
			all.add(Updates.inc("rev", 1L));
			writes.add(new UpdateOneModel<>(new Document("_id", id).append("rev", number(docs.get(id).get("rev"))),
					Updates.combine(all)));
		});
		if (!writes.isEmpty()
				&& active.bulkWrite(writes, new BulkWriteOptions().ordered(false)).getMatchedCount() != writes.size()) {
			return null;
		}
		sets.keySet().forEach(id -> forgetOldDays(active, id, docs.get(id)));
		return answers;
	}

	/** A member's claims stay bounded: days, weeks and months older than about a year go. */
	private static void forgetOldDays(MongoCollection<Document> active, String id, Document doc) {
		List<Bson> unsets = new ArrayList<>();
		for (var kept : Map.of("d", 400, "w", 60, "o", 15).entrySet()) {
			Document periods = doc.get(kept.getKey(), Document.class);
			if (periods != null && periods.size() > kept.getValue()) {
				periods.keySet().stream().sorted().limit(periods.size() - kept.getValue() + 10)
						.forEach(p -> unsets.add(Updates.unset(kept.getKey() + "." + p)));
			}
		}
		if (!unsets.isEmpty()) {
			unsets.add(Updates.inc("rev", 1L));
			active.updateOne(eq("_id", id), Updates.combine(unsets));
		}
	}

	@Override
	public Map<LocalDate, DayFigures> days(String program, LocalDate from, LocalDate to) {
		Map<LocalDate, DayFigures> out = new HashMap<>();
		List<String> ids = new ArrayList<>();
		for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
			ids.add(program + "|" + d);
			if (ids.size() == 100 || d.equals(to)) {
				for (Document doc : collection("reporting_days").find(in("_id", ids))) {
					DayFigures day = toDay(doc);
					out.put(day.day(), day);
				}
				ids.clear();
			}
		}
		return out;
	}

	private static DayFigures toDay(Document doc) {
		Map<DayFigures.Slice, Figures> slices = new HashMap<>();
		Document c = doc.get("c", new Document());
		c.forEach((region, channels) -> ((Document) channels).forEach((channel, figures) -> slices
				.put(new DayFigures.Slice(decode(region), decode(channel)), figures((Document) figures))));
		return new DayFigures(LocalDate.parse(doc.getString("day")), slices, named(doc.get("s", new Document())),
				named(doc.get("p", new Document())), tiers(doc.get("t", new Document())), number(doc.get("m")));
	}

	private static Map<String, Figures> named(Document byName) {
		Map<String, Figures> out = new HashMap<>();
		byName.forEach((name, figures) -> out.put(decode(name), figures((Document) figures)));
		return out;
	}

	@SuppressWarnings("unchecked")
	private static Figures figures(Document doc) {
		Map<String, Number> values = new HashMap<>();
		doc.forEach((k, v) -> values.put(k, (Number) v));
		return Figures.fromMap(values);
	}

	private static Map<String, Long> tiers(Document t) {
		Map<String, Long> out = new HashMap<>();
		t.forEach((tier, n) -> out.put(tierName(tier), number(n)));
		return out;
	}

	private static String tierName(String encoded) {
		String name = decode(encoded);
		return name == null ? "" : name;
	}

	private static long number(Object value) {
		return value == null ? 0 : ((Number) value).longValue();
	}

	@Override
	public Totals totals(String program) {
		Document doc = collection("reporting_totals").find(eq("_id", program)).first();
		if (doc == null) {
			return Totals.NONE;
		}
		return new Totals(number(doc.get("points")), tiers(doc.get("t", new Document())), number(doc.get("m")));
	}

	@Override
	public List<Activity> activities(String program) {
		List<Activity> out = new ArrayList<>();
		// a rebuild is rare and batch work: reading the program's activities by scan is acceptable
		for (Document doc : collection("reporting_activities").find(eq("program", program))) {
			out.add(fromDocument(doc));
		}
		return out;
	}

	@Override
	public void replace(String program, Map<LocalDate, DayFigures> days, Totals totals) {
		MongoCollection<Document> dayCells = collection("reporting_days");
		dayCells.deleteMany(eq("program", program));
		List<Document> docs = new ArrayList<>();
		days.forEach((day, figures) -> docs.add(toDocument(program, figures)));
		for (int i = 0; i < docs.size(); i += 500) {
			dayCells.insertMany(docs.subList(i, Math.min(docs.size(), i + 500)));
		}
		Document t = new Document();
		totals.tiers().forEach((tier, n) -> t.append(encode(tier.isEmpty() ? null : tier), n));
		collection("reporting_totals").replaceOne(eq("_id", program),
				new Document("_id", program).append("program", program).append("points", totals.points()).append("t", t)
						.append("m", totals.members()).append("pending", List.of()).append("rev", 0L),
				new ReplaceOptions().upsert(true));
	}

	private static Document toDocument(String program, DayFigures d) {
		Document c = new Document();
		d.slices().forEach((slice, f) -> c.computeIfAbsent(encode(slice.region()), k -> new Document()));
		d.slices().forEach((slice, f) -> ((Document) c.get(encode(slice.region()))).append(encode(slice.channel()),
				toDocument(f)));
		Document s = new Document();
		d.stores().forEach((name, f) -> s.append(encode(name), toDocument(f)));
		Document p = new Document();
		d.partners().forEach((name, f) -> p.append(encode(name), toDocument(f)));
		Document t = new Document();
		d.tierChanges().forEach((tier, n) -> t.append(encode(tier.isEmpty() ? null : tier), n));
		return new Document("_id", program + "|" + d.day()).append("program", program).append("day", d.day().toString())
				.append("c", c).append("s", s).append("p", p).append("t", t).append("m", d.memberChange())
				.append("pending", List.of()).append("rev", 0L);
	}

	private static Document toDocument(Figures f) {
		Document doc = new Document();
		long[] values = { f.issued(), f.reversed(), f.redeemed(), f.expired(), f.adjusted(), f.transferred(),
				f.enrolments(), f.activeDay(), f.activeWeek(), f.activeMonth() };
		for (int i = 0; i < values.length; i++) {
			if (values[i] != 0) {
				doc.append(Figures.NAMES[i], values[i]);
			}
		}
		return doc;
	}

	@Override
	public Optional<ReportSettings> settings(String program) {
		Document doc = collection("reporting_settings").find(eq("_id", program)).first();
		return Optional.ofNullable(doc).map(d -> new ReportSettings(program, new BigDecimal(d.getString("costPerPoint")),
				d.getString("currency")));
	}

	@Override
	public void save(ReportSettings settings) {
		collection("reporting_settings").replaceOne(eq("_id", settings.program()),
				new Document("_id", settings.program()).append("costPerPoint", settings.costPerPoint().toPlainString())
						.append("currency", settings.currency()),
				new ReplaceOptions().upsert(true));
	}

	private static Document toDocument(Activity a, LocalDate day) {
		return new Document("_id", a.id()).append("program", a.program()).append("kind", a.kind().name())
				.append("member", a.member()).append("at", Date.from(a.at())).append("points", a.points())
				.append("region", a.region()).append("channel", a.channel()).append("store", a.store())
				.append("partner", a.partner()).append("tierFrom", a.tierFrom()).append("tierTo", a.tierTo())
				.append("firsts", List.of(a.firstOfDay(), a.firstOfWeek(), a.firstOfMonth())).append("day", day.toString())
				.append("state", "new");
	}

	private static Activity fromDocument(Document d) {
		List<Boolean> firsts = d.getList("firsts", Boolean.class, List.of(false, false, false));
		return new Activity(d.getString("_id"), d.getString("program"), Activity.Kind.valueOf(d.getString("kind")),
				d.getString("member"), d.getDate("at").toInstant(), number(d.get("points")), d.getString("region"),
				d.getString("channel"), d.getString("store"), d.getString("partner"), d.getString("tierFrom"),
				d.getString("tierTo"), firsts.get(0), firsts.get(1), firsts.get(2));
	}

	/** Field names from free text: letters, digits, - and _ stay; anything else becomes ~ and four hex digits. */
	static String encode(String text) {
		if (text == null) {
			return NONE;
		}
		StringBuilder out = new StringBuilder();
		for (char ch : text.toCharArray()) {
			if (Character.isLetterOrDigit(ch) && ch < 128 || ch == '-' || ch == '_') {
				out.append(ch);
			}
			else {
				out.append('~').append(String.format("%04x", (int) ch));
			}
		}
		return out.isEmpty() ? "~0000" : out.toString();
	}

	static String decode(String field) {
		if (NONE.equals(field)) {
			return null;
		}
		if ("~0000".equals(field)) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < field.length(); i++) {
			char ch = field.charAt(i);
			if (ch == '~' && i + 5 <= field.length()) {
				out.append((char) Integer.parseInt(field.substring(i + 1, i + 5), 16));
				i += 4;
			}
			else {
				out.append(ch);
			}
		}
		return out.toString();
	}
}
