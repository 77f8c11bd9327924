package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.points.application.RewardShelf;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;

/**
 * The rewards catalog in {@code points_rewards} (one document per program and reward) with each
 * program's list of rewards in {@code points_reward_programs}; stock in {@code points_reward_stock}
 * (units taken, the total, and the redemptions whose unit is not yet recorded on them); each
 * member's places under a reward's limit in {@code points_reward_holds}; redemptions in
 * {@code points_reward_redemptions} and each member's list of them in
 * {@code points_reward_members}; a pool reward's codes in {@code points_reward_codes} (one document
 * per code naming its place, one per place naming its code, one per import); each program's
 * redemptions and refunds by day in {@code points_reward_days}. Guarded writes name {@code _id} and {@code rev}, a unique index,
 * so that the store finds them by an exact key.
 */
@Component
class MongoRewardShelf implements RewardShelf {

	static final String REWARDS = "points_rewards";
	static final String PROGRAMS = "points_reward_programs";
	static final String STOCK = "points_reward_stock";
	static final String HOLDS = "points_reward_holds";
	static final String REDEMPTIONS = "points_reward_redemptions";
	static final String MEMBERS = "points_reward_members";
	static final String CODES = "points_reward_codes";
	static final String DAYS = "points_reward_days";
	/** A day's redemptions of one kind are spread over this many documents, so that none grows large. */
	private static final int DAY_BUCKETS = 16;
	private static final int DUPLICATE_KEY = 11000;
	private static final int ATTEMPTS = 64;

	private final MongoDatabaseFactory factory;

	MongoRewardShelf(MongoDatabaseFactory factory) {
		this.factory = factory;
		for (String guarded : List.of(STOCK, HOLDS, REDEMPTIONS)) {
			collection(guarded).createIndex(Indexes.ascending("_id", "rev"), new IndexOptions().unique(true).name(guarded + "_rev"));
		}
	}

	private MongoCollection<Document> collection(String name) {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(name);
	}

	private static String id(String programId, String rewardId) {
		return programId + "|" + rewardId;
	}

	@Override
	public boolean define(Reward reward) {
		String id = id(reward.programId(), reward.rewardId());
		if (reward.fulfilment() == Reward.Fulfilment.POOL) {
			ensurePool(id);
		}
		else if (!setTotal(id, reward.stock())) {
			return false;
		}
		collection(REWARDS).replaceOne(eq("_id", id), document(reward), new ReplaceOptions().upsert(true));
		collection(PROGRAMS).updateOne(eq("_id", reward.programId()), Updates.addToSet("rewards", reward.rewardId()),
				new UpdateOptions().upsert(true));
		return true;
	}

	/**
	 * A pool's stock: {@code total} valid codes of {@code slots} numbered places (a place whose code
	 * another import brought first is void), {@code next} the first place never drawn, {@code back}
	 * places whose code came back, {@code blocks} the imports counted.
	 */
	private void ensurePool(String id) {
		Document stock = collection(STOCK).find(eq("_id", id)).first();
		if (stock == null) {
			insertFirst(STOCK, new Document("_id", id).append("rev", 0L).append("taken", 0L).append("total", 0L)
					.append("pending", List.of()).append("pool", true).append("slots", 0L).append("next", 0L)
					.append("back", List.of()).append("blocks", List.of()));
		}
		else if (!Boolean.TRUE.equals(stock.getBoolean("pool"))) {
			// a reward with a stock becomes a pool reward: what was taken stays taken, the pool starts empty
			collection(STOCK).updateOne(eq("_id", id), Updates.combine(Updates.set("pool", true), Updates.set("total",
					stock.get("taken", Number.class).longValue()), Updates.set("slots", 0L), Updates.set("next", 0L),
					Updates.set("back", List.of()), Updates.set("blocks", List.of()), Updates.inc("rev", 1L)));
		}
	}

	/** The stock's total (null: no limit), never below the units taken. */
	private boolean setTotal(String id, Long total) {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document stock = collection(STOCK).find(eq("_id", id)).first();
			if (stock == null) {
				if (insertFirst(STOCK, new Document("_id", id).append("rev", 0L).append("taken", 0L).append("total", total)
						.append("pending", List.of()))) {
					return true;
				}
				continue;
			}
			if (total != null && total < stock.get("taken", Number.class).longValue()) {
				return false;
			}
			if (collection(STOCK).updateOne(guard(stock), Updates.combine(Updates.set("total", total), Updates.inc("rev", 1L)))
					.getMatchedCount() == 1) {
				return true;
			}
		}
		throw raced(id);
	}

	@Override
	public Optional<Shelved> reward(String programId, String rewardId) {
		Document found = collection(REWARDS).find(eq("_id", id(programId, rewardId))).first();
		if (found == null) {
			return Optional.empty();
		}
		Document stock = collection(STOCK).find(eq("_id", id(programId, rewardId))).first();
		return Optional.of(shelved(found, stock));
	}

	@Override
	public List<Shelved> rewards(String programId) {
		Document program = collection(PROGRAMS).find(eq("_id", programId)).first();
		if (program == null) {
			return List.of();
		}
		List<String> ids = program.getList("rewards", String.class).stream().map(r -> id(programId, r)).toList();
		java.util.Map<String, Document> stock = new java.util.HashMap<>();
		collection(STOCK).find(in("_id", ids)).forEach(d -> stock.put(d.getString("_id"), d));
		List<Shelved> found = new ArrayList<>();
		collection(REWARDS).find(in("_id", ids)).forEach(d -> found.add(shelved(d, stock.get(d.getString("_id")))));
		found.sort(Comparator.comparing(s -> s.reward().rewardId()));
		return found;
	}

	private static Shelved shelved(Document reward, Document stock) {
		Reward r = reward(reward);
		Long remaining = null;
		if (r.counted()) {
			long taken = stock == null ? 0 : stock.get("taken", Number.class).longValue();
			long total = r.stock() != null ? r.stock()
					: stock == null || stock.get("total", Number.class) == null ? 0 : stock.get("total", Number.class).longValue();
			remaining = Math.max(0, total - taken);
		}
		return new Shelved(r, remaining);
	}

	@Override
	public Redemption claim(Redemption fresh) {
		try {
			collection(REDEMPTIONS).insertOne(document(fresh));
			return fresh;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCode() != DUPLICATE_KEY) {
				throw e;
			}
			return redemption(fresh.redemptionId()).orElseThrow();
		}
	}

	@Override
	public Optional<Redemption> redemption(String redemptionId) {
		return Optional.ofNullable(collection(REDEMPTIONS).find(eq("_id", redemptionId)).first()).map(MongoRewardShelf::redemption);
	}

	@Override
	public boolean advance(Redemption next) {
		Document stored = document(next).append("rev", next.rev() + 1);
		return collection(REDEMPTIONS).replaceOne(new Document("_id", next.redemptionId()).append("rev", next.rev()), stored)
				.getMatchedCount() == 1;
	}

	@Override
	public boolean hold(String programId, String rewardId, String memberId, String redemptionId, int limit) {
		String id = id(programId, rewardId) + "|" + memberId;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document holds = collection(HOLDS).find(eq("_id", id)).first();
			if (holds == null) {
				if (insertFirst(HOLDS, new Document("_id", id).append("rev", 0L).append("held", List.of(redemptionId)))) {
					return true;
				}
				continue;
			}
			List<String> held = holds.getList("held", String.class);
			if (held.contains(redemptionId)) {
				return true;
			}
			if (held.size() >= limit) {
				return false;
			}
			if (collection(HOLDS).updateOne(guard(holds), Updates.combine(Updates.push("held", redemptionId),
					Updates.inc("rev", 1L))).getMatchedCount() == 1) {
				return true;
			}
		}
		throw raced(id);
	}

	@Override
	public void release(String programId, String rewardId, String memberId, String redemptionId) {
		collection(HOLDS).updateOne(eq("_id", id(programId, rewardId) + "|" + memberId), Updates.pull("held", redemptionId));
	}

	@Override
	public Long takeUnit(String programId, String rewardId, String redemptionId) {
		String id = id(programId, rewardId);
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document stock = collection(STOCK).find(eq("_id", id)).first();
			if (stock == null) {
				return null;
			}
			Number total = stock.get("total", Number.class);
			long taken = stock.get("taken", Number.class).longValue();
			long left = total == null ? Long.MAX_VALUE : total.longValue() - taken;
			if (stock.getList("pending", String.class).contains(redemptionId)) {
				return Math.max(0, left);
			}
			if (left <= 0) {
				return null;
			}
			if (collection(STOCK).updateOne(guard(stock), Updates.combine(Updates.inc("taken", 1L), Updates.inc("rev", 1L),
					Updates.push("pending", redemptionId))).getMatchedCount() == 1) {
				return left - 1;
			}
		}
		throw raced(id);
	}

	@Override
	public void keepUnit(String programId, String rewardId, String redemptionId) {
		Document stock = collection(STOCK).find(eq("_id", id(programId, rewardId))).first();
		List<String> entries = stock == null ? List.of() : pendingOf(stock, redemptionId);
		if (!entries.isEmpty()) {
			collection(STOCK).updateOne(eq("_id", id(programId, rewardId)), Updates.pullAll("pending", entries));
		}
	}

	/** The redemption's pending entries: its id, or its id and a pool place ({@code id#place}). */
	private static List<String> pendingOf(Document stock, String redemptionId) {
		return stock.getList("pending", String.class).stream()
				.filter(e -> e.equals(redemptionId) || e.startsWith(redemptionId + "#")).toList();
	}

	@Override
	public void releaseUnit(String programId, String rewardId, String redemptionId) {
		String id = id(programId, rewardId);
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document stock = collection(STOCK).find(eq("_id", id)).first();
			List<String> entries = stock == null ? List.of() : pendingOf(stock, redemptionId);
			if (entries.isEmpty()) {
				return;
			}
			List<Bson> changes = new ArrayList<>(List.of(Updates.inc("taken", -1L), Updates.inc("rev", 1L),
					Updates.pullAll("pending", entries)));
			entries.stream().filter(e -> e.contains("#")).findFirst() // a pool's code, never shown: back to the pool
					.ifPresent(e -> changes.add(Updates.push("back", Long.parseLong(e.substring(e.indexOf('#') + 1)))));
			if (collection(STOCK).updateOne(guard(stock), Updates.combine(changes)).getMatchedCount() == 1) {
				return;
			}
		}
		throw raced(id);
	}

	@Override
	public void returnUnit(String programId, String rewardId, String redemptionId, String code) {
		String id = id(programId, rewardId);
		String returned = "returned:" + redemptionId;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document stock = collection(STOCK).find(eq("_id", id)).first();
			if (stock == null || stock.getList("pending", String.class).contains(returned)) {
				return;
			}
			List<Bson> changes = new ArrayList<>(List.of(Updates.inc("taken", -1L), Updates.inc("rev", 1L),
					Updates.push("pending", returned)));
			if (Boolean.TRUE.equals(stock.getBoolean("pool")) && code != null) {
				Document known = collection(CODES).find(eq("_id", id + "|code:" + code)).first();
				if (known != null) {
					changes.add(Updates.push("back", known.get("slot", Number.class).longValue()));
				}
			}
			if (collection(STOCK).updateOne(guard(stock), Updates.combine(changes)).getMatchedCount() == 1) {
				return;
			}
		}
		throw raced(id);
	}

	@Override
	public Drawn draw(String programId, String rewardId, String redemptionId) {
		String id = id(programId, rewardId);
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document stock = collection(STOCK).find(eq("_id", id)).first();
			if (stock == null || !Boolean.TRUE.equals(stock.getBoolean("pool"))) {
				return null;
			}
			long total = stock.get("total", Number.class).longValue();
			long taken = stock.get("taken", Number.class).longValue();
			List<String> mine = pendingOf(stock, redemptionId);
			if (!mine.isEmpty()) { // the retry of a draw: its code again
				String entry = mine.get(0);
				return new Drawn(codeAt(id, Long.parseLong(entry.substring(entry.indexOf('#') + 1))), Math.max(0, total - taken));
			}
			if (taken >= total) {
				return null;
			}
			List<Long> back = stock.getList("back", Number.class).stream().map(Number::longValue).toList();
			long next = stock.get("next", Number.class).longValue();
			long slot = back.isEmpty() ? next : back.get(0);
			if (back.isEmpty() && slot >= stock.get("slots", Number.class).longValue()) {
				return null;
			}
			String code = codeAt(id, slot);
			Bson moved = back.isEmpty() ? Updates.set("next", slot + 1) : Updates.pull("back", slot);
			if (code == null) { // a void place (its code came with an earlier import): passed over
				collection(STOCK).updateOne(guard(stock), Updates.combine(moved, Updates.inc("rev", 1L)));
				continue;
			}
			if (collection(STOCK).updateOne(guard(stock), Updates.combine(moved, Updates.inc("taken", 1L),
					Updates.inc("rev", 1L), Updates.push("pending", redemptionId + "#" + slot))).getMatchedCount() == 1) {
				return new Drawn(code, total - taken - 1);
			}
		}
		throw raced(id);
	}

	/** The code at a pool's place, if the place holds one of its own. */
	private String codeAt(String id, long slot) {
		Document place = collection(CODES).find(eq("_id", id + "|#" + slot)).first();
		if (place == null) {
			return null;
		}
		String code = place.getString("code");
		Document known = collection(CODES).find(eq("_id", id + "|code:" + code)).first();
		return known != null && known.get("slot", Number.class).longValue() == slot ? code : null;
	}

	/**
	 * Places for the codes first (a block of numbered places, kept under the codes' digest so that
	 * the same import sent again reuses them), then each code's own document (its place: an import
	 * that brings a code the pool has keeps the first place) and each place's, then the pool's count
	 * with the block marked counted, in one write: a crash anywhere is finished by the same import.
	 */
	@Override
	public Optional<Imported> importCodes(String programId, String rewardId, List<String> codes) {
		String id = id(programId, rewardId);
		Document stock = collection(STOCK).find(eq("_id", id)).first();
		if (stock == null || !Boolean.TRUE.equals(stock.getBoolean("pool"))) {
			return Optional.empty();
		}
		String digest = io.fidelis.points.domain.Fingerprint.of(String.join("\n", codes));
		Document block = collection(CODES).find(eq("_id", id + "|block:" + digest)).first();
		for (int attempt = 0; block == null && attempt < ATTEMPTS; attempt++) {
			Document now = collection(STOCK).find(eq("_id", id)).first();
			long start = now.get("slots", Number.class).longValue();
			if (collection(STOCK).updateOne(guard(now), Updates.combine(Updates.inc("slots", (long) codes.size()),
					Updates.inc("rev", 1L))).getMatchedCount() == 1) {
				insertFirst(CODES, new Document("_id", id + "|block:" + digest).append("start", start));
				block = collection(CODES).find(eq("_id", id + "|block:" + digest)).first();
			}
		}
		if (block == null) {
			throw raced(id);
		}
		long start = block.get("start", Number.class).longValue();
		List<Document> own = new ArrayList<>();
		List<Document> places = new ArrayList<>();
		for (int i = 0; i < codes.size(); i++) {
			own.add(new Document("_id", id + "|code:" + codes.get(i)).append("slot", start + i));
			places.add(new Document("_id", id + "|#" + (start + i)).append("code", codes.get(i)));
		}
		insertAllNew(own);
		insertAllNew(places);
		java.util.Set<Long> mine = new java.util.HashSet<>();
		collection(CODES).find(in("_id", own.stream().map(d -> d.getString("_id")).toList()))
				.forEach(d -> mine.add(d.get("slot", Number.class).longValue()));
		int valid = (int) mine.stream().filter(slot -> slot >= start && slot < start + codes.size()).count();
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Document now = collection(STOCK).find(eq("_id", id)).first();
			if (now.getList("blocks", String.class).contains(digest)) {
				return Optional.of(new Imported(0, codes.size(), now.get("total", Number.class).longValue()));
			}
			if (collection(STOCK).updateOne(guard(now), Updates.combine(Updates.inc("total", (long) valid),
					Updates.push("blocks", digest), Updates.inc("rev", 1L))).getMatchedCount() == 1) {
				return Optional.of(new Imported(valid, codes.size() - valid, now.get("total", Number.class).longValue() + valid));
			}
		}
		throw raced(id);
	}

	/** Inserts what is not there yet; a document whose id is taken stays as it is. */
	private void insertAllNew(List<Document> documents) {
		for (int from = 0; from < documents.size(); from += 1_000) {
			try {
				collection(CODES).insertMany(documents.subList(from, Math.min(documents.size(), from + 1_000)),
						new com.mongodb.client.model.InsertManyOptions().ordered(false));
			}
			catch (com.mongodb.MongoBulkWriteException e) {
				if (e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
					throw e;
				}
			}
		}
	}

	@Override
	public void forgetReturn(String programId, String rewardId, String redemptionId) {
		collection(STOCK).updateOne(eq("_id", id(programId, rewardId)), Updates.pull("pending", "returned:" + redemptionId));
	}

	@Override
	public void noteDay(String programId, java.time.LocalDate day, String kind, String redemptionId) {
		collection(DAYS).updateOne(eq("_id", programId + "|" + day + "|" + kind + "|"
				+ Math.floorMod(redemptionId.hashCode(), DAY_BUCKETS)), Updates.addToSet("ids", redemptionId),
				new UpdateOptions().upsert(true));
	}

	@Override
	public List<Redemption> noted(String programId, java.util.Collection<java.time.LocalDate> days, String kind) {
		List<String> buckets = new ArrayList<>();
		days.forEach(day -> {
			for (int b = 0; b < DAY_BUCKETS; b++) {
				buckets.add(programId + "|" + day + "|" + kind + "|" + b);
			}
		});
		List<String> ids = new ArrayList<>();
		for (int from = 0; from < buckets.size(); from += 1_000) {
			collection(DAYS).find(in("_id", buckets.subList(from, Math.min(buckets.size(), from + 1_000))))
					.forEach(d -> ids.addAll(d.getList("ids", String.class)));
		}
		List<Redemption> found = new ArrayList<>();
		for (int from = 0; from < ids.size(); from += 1_000) {
			collection(REDEMPTIONS).find(in("_id", ids.subList(from, Math.min(ids.size(), from + 1_000))))
					.forEach(d -> found.add(redemption(d)));
		}
		return found;
	}

	@Override
	public void listFor(String memberId, String redemptionId) {
		collection(MEMBERS).updateOne(eq("_id", memberId), Updates.addToSet("redemptions", redemptionId),
				new UpdateOptions().upsert(true));
	}

	@Override
	public void scrubRefundReasons(String memberId) {
		for (Redemption r : redemptionsOf(memberId)) {
			if (r.refundReason() != null) {
				collection(REDEMPTIONS).updateOne(eq("_id", r.redemptionId()), Updates.set("refundReason", null));
			}
		}
	}

	@Override
	public List<Redemption> redemptionsOf(String memberId) {
		Document listed = collection(MEMBERS).find(eq("_id", memberId)).first();
		if (listed == null) {
			return List.of();
		}
		List<Redemption> found = new ArrayList<>();
		collection(REDEMPTIONS).find(in("_id", listed.getList("redemptions", String.class)))
				.forEach(d -> found.add(redemption(d)));
		found.sort(Comparator.comparing(Redemption::at).reversed().thenComparing(Redemption::redemptionId));
		return found;
	}

	private boolean insertFirst(String collection, Document first) {
		try {
			collection(collection).insertOne(first);
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCode() != DUPLICATE_KEY) {
				throw e;
			}
			return false; // another request made it first: read it again
		}
	}

	private static Document guard(Document stored) {
		return new Document("_id", stored.get("_id")).append("rev", stored.get("rev"));
	}

	private static IllegalStateException raced(String id) {
		return new IllegalStateException("Reward '" + id + "' changed " + ATTEMPTS + " times in a row; try again");
	}

	private static Document document(Reward r) {
		return new Document("_id", id(r.programId(), r.rewardId())).append("program", r.programId())
				.append("rewardId", r.rewardId()).append("name", r.name()).append("description", r.description())
				.append("points", r.points())
				.append("cashAmount", r.cashAmount() == null ? null : r.cashAmount().toPlainString())
				.append("cashCurrency", r.cashCurrency()).append("stock", r.stock())
				.append("perMemberLimit", r.perMemberLimit()).append("validFrom", date(r.validFrom()))
				.append("validUntil", date(r.validUntil())).append("fulfilment", r.fulfilment().name())
				.append("active", r.active()).append("lowStockAt", r.lowStockAt());
	}

	private static Reward reward(Document d) {
		Number stock = d.get("stock", Number.class);
		return new Reward(d.getString("program"), d.getString("rewardId"), d.getString("name"), d.getString("description"),
				d.get("points", Number.class).longValue(),
				d.getString("cashAmount") == null ? null : new BigDecimal(d.getString("cashAmount")), d.getString("cashCurrency"),
				stock == null ? null : stock.longValue(), d.getInteger("perMemberLimit"), instant(d.getDate("validFrom")),
				instant(d.getDate("validUntil")), Reward.Fulfilment.valueOf(d.getString("fulfilment")),
				Boolean.TRUE.equals(d.getBoolean("active")),
				d.get("lowStockAt", Number.class) == null ? null : d.get("lowStockAt", Number.class).longValue());
	}

	private static Document document(Redemption r) {
		return new Document("_id", r.redemptionId()).append("rev", r.rev()).append("fingerprint", r.fingerprint())
				.append("program", r.programId()).append("rewardId", r.rewardId()).append("member", r.memberId())
				.append("points", r.points()).append("code", r.code()).append("client", r.client())
				.append("at", date(r.at())).append("state", r.state())
				.append("refusal", r.refusal() == null ? null
						: new Document("reason", r.refusal().reason().name()).append("message", r.refusal().message()))
				.append("stockTaken", r.stockTaken()).append("stockReturned", r.stockReturned())
				.append("availableAfter", r.availableAfter()).append("refundedAt", date(r.refundedAt()))
				.append("refundReason", r.refundReason());
	}

	private static Redemption redemption(Document d) {
		Document refusal = d.get("refusal", Document.class);
		return new Redemption(d.getString("_id"), d.getString("fingerprint"), d.getString("program"),
				d.getString("rewardId"), d.getString("member"), d.get("points", Number.class).longValue(),
				d.getString("code"), d.getString("client"), instant(d.getDate("at")), d.getString("state"),
				refusal == null ? null
						: new Refusal(Refusal.Reason.valueOf(refusal.getString("reason")), refusal.getString("message")),
				Boolean.TRUE.equals(d.getBoolean("stockTaken")), Boolean.TRUE.equals(d.getBoolean("stockReturned")),
				d.get("availableAfter", Number.class).longValue(), instant(d.getDate("refundedAt")),
				d.getString("refundReason"), d.get("rev", Number.class).longValue());
	}

	private static Date date(Instant at) {
		return at == null ? null : Date.from(at);
	}

	private static Instant instant(Date date) {
		return date == null ? null : date.toInstant();
	}
}
