package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.MemberId;
import io.fidelis.members.application.MemberStore.Claiming;
import io.fidelis.members.application.MemberStore.PendingClaims;
import io.fidelis.members.application.MemberStore.PendingMinute;
import io.fidelis.members.domain.IdentityClaim;

/**
 * Marks of claim batches, kept in {@code members_claims} beside the claims and written in the same
 * insert, so that every batch an enrollment wrote can be found again by exact keys, even when the
 * enrollment stopped before its members were stored.
 *
 * <p>A mark's id is {@code pending|<minute>|<node>|<n>}: the minute of the claims, this node's
 * random name, and the node's count of batches in that minute. The nodes and the minutes each
 * marked in ({@code pending|nodes}: first and last minute per node, written once per node and
 * minute) tell a sweep which ids to ask for: for each node that marked in a minute, {@code n} from
 * 0 in pages of {@value #PAGE}, until a page finds none. {@code pending|swept} holds the last minute
 * swept. Claim keys start with their kind ({@code email|}, {@code request|}, ...), never with
 * {@code pending|}.
 */
final class PendingClaimMarks {

	static final String PREFIX = "pending|";
	static final String NODES = PREFIX + "nodes";
	static final String SWEPT = PREFIX + "swept";
	static final int PAGE = 256;

	private final String node = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
	private final Map<Long, Integer> counts = new HashMap<>();
	/** The last minute this node noted in {@link #NODES}. */
	private long noted = Long.MIN_VALUE;

	/** The mark of a batch of claims: by owner, its fingerprint and the keys it claimed. */
	Document mark(List<Claiming> claims, Instant at) {
		long minute = at.getEpochSecond() / 60;
		int n;
		synchronized (counts) {
			n = counts.merge(minute, 1, Integer::sum) - 1;
			if (counts.size() > 16) {
				counts.keySet().removeIf(m -> m < minute - 10);
			}
		}
		Map<String, Document> owners = new LinkedHashMap<>();
		for (Claiming c : claims) {
			owners.computeIfAbsent(c.owner().value(), o -> new Document("owner", o).append("fingerprint", c.fingerprint())
					.append("claims", new ArrayList<String>())).getList("claims", String.class).add(c.claim().key());
		}
		return new Document("_id", PREFIX + minute + "|" + node + "|" + n).append("batch", new ArrayList<>(owners.values()));
	}

	/**
	 * Notes that this node marks batches in the minute of {@code at}; one small write per node and
	 * minute, before the minute's first batch.
	 */
	void noteMinute(MongoCollection<Document> claims, Instant at) {
		long minute = at.getEpochSecond() / 60;
		// the others of this minute wait for the note: none of their marks may be written before it
		synchronized (this) {
			if (minute == noted) {
				return;
			}
			claims.updateOne(eq("_id", NODES), Updates.combine(Updates.min("nodes." + node + ".first", minute),
					Updates.max("nodes." + node + ".last", minute)), new UpdateOptions().upsert(true));
			noted = minute;
		}
	}

	Optional<PendingMinute> next(MongoCollection<Document> claims, Instant before) {
		Document nodes = claims.find(eq("_id", NODES)).first();
		if (nodes == null) {
			return Optional.empty();
		}
		Document swept = claims.find(eq("_id", SWEPT)).first();
		Map<String, long[]> spans = spans(nodes);
		long from = swept == null ? Long.MIN_VALUE : ((Number) swept.get("minute")).longValue() + 1;
		// nodes whose every minute was swept are dropped, read here rather than again after each minute
		List<org.bson.conversions.Bson> gone = spans.entrySet().stream().filter(e -> e.getValue()[1] < from)
				.map(e -> Updates.unset("nodes." + e.getKey())).toList();
		if (!gone.isEmpty()) {
			claims.updateOne(eq("_id", NODES), Updates.combine(gone));
			spans.values().removeIf(span -> span[1] < from);
		}
		// the first minute from there that some node marked in
		long minute = spans.values().stream().filter(s -> s[1] >= from).mapToLong(s -> Math.max(s[0], from)).min()
				.orElse(Long.MAX_VALUE);
		if (minute >= before.getEpochSecond() / 60) {
			return Optional.empty();
		}
		return Optional.of(new PendingMinute(minute, marks(claims, spans, minute).stream().map(PendingClaimMarks::batch).toList()));
	}

	/** Every mark of the minute: for each node that marked in it, by its count, a page at a time. */
	private static List<Document> marks(MongoCollection<Document> claims, Map<String, long[]> spans, long minute) {
		List<Document> marks = new ArrayList<>();
		for (Map.Entry<String, long[]> span : spans.entrySet()) {
			if (span.getValue()[0] > minute || span.getValue()[1] < minute) {
				continue;
			}
			for (int page = 0;; page += PAGE) {
				List<String> ids = new ArrayList<>(PAGE);
				for (int n = page; n < page + PAGE; n++) {
					ids.add(PREFIX + minute + "|" + span.getKey() + "|" + n);
				}
				List<Document> found = claims.find(in("_id", ids)).into(new ArrayList<>());
				marks.addAll(found);
				if (found.isEmpty()) {
					break;
				}
			}
		}
		return marks;
	}

	private static Map<String, long[]> spans(Document nodes) {
		Map<String, long[]> spans = new HashMap<>();
		nodes.get("nodes", Document.class).forEach((name, span) -> spans.put(name,
				new long[] { ((Number) ((Document) span).get("first")).longValue(), ((Number) ((Document) span).get("last")).longValue() }));
		return spans;
	}

	/** Takes the owner out of the marks of its minute (read by exact keys, as a sweep reads them). */
	void forget(MongoCollection<Document> claims, MemberId owner, Instant at) {
		Document nodes = claims.find(eq("_id", NODES)).first();
		if (nodes == null) {
			return;
		}
		for (Document mark : marks(claims, spans(nodes), at.getEpochSecond() / 60)) {
			List<Document> batch = mark.getList("batch", Document.class);
			if (batch.stream().noneMatch(o -> owner.value().equals(o.getString("owner")))) {
				continue;
			}
			if (batch.size() == 1) {
				claims.deleteOne(eq("_id", mark.getString("_id")));
			}
			else {
				claims.updateOne(eq("_id", mark.getString("_id")),
						Updates.pull("batch", new Document("owner", owner.value())));
			}
		}
	}

	private static PendingClaims batch(Document mark) {
		List<Claiming> claims = new ArrayList<>();
		for (Document owner : mark.getList("batch", Document.class)) {
			MemberId id = new MemberId(owner.getString("owner"));
			for (String key : owner.getList("claims", String.class)) {
				claims.add(new Claiming(new IdentityClaim(key), id, owner.getString("fingerprint")));
			}
		}
		return new PendingClaims(mark.getString("_id"), claims);
	}

	/** Forgets the minute's marks and moves the sweep past it. */
	void swept(MongoCollection<Document> claims, PendingMinute minute) {
		List<String> marks = minute.batches().stream().map(PendingClaims::id).toList();
		if (!marks.isEmpty()) {
			claims.deleteMany(in("_id", marks));
		}
		claims.updateOne(eq("_id", SWEPT), Updates.max("minute", minute.minute()), new UpdateOptions().upsert(true));
	}
}
