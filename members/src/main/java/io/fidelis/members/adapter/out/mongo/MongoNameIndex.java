package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.NameIndex;

/**
 * Name entries ({@code word ␁ full name ␁ member id}) in {@code members_names}, as a trie of
 * small buckets addressed by exact keys: {@code _id} = program|key prefix, starting from the
 * first three letters of the word.
 * <p>
 * A bucket that grows past {@link #DEFAULT_BUCKET_SIZE} entries is frozen ({@code split}):
 * it keeps what it holds, and later entries go one character deeper. So a write never rewrites
 * a document bigger than a few kilobytes, however many members share a common name (appending
 * to one growing array per three letters made a 100,000-member import slow down as it went),
 * and a search reads the frozen buckets on its path and then children in key order until it has
 * its page. Freezing is permanent, which is what lets every node cache it.
 */
@Component
class MongoNameIndex implements NameIndex {

	static final int DEFAULT_BUCKET_SIZE = 200;
	private static final String SEPARATOR = "\u0001";

	private final MongoDatabaseFactory factory;
	private final int bucketSize;
	/** Buckets known to be frozen, and children known to be listed in their parent. */
	private final Set<String> frozen = ConcurrentHashMap.newKeySet();
	private final Set<String> listedChildren = ConcurrentHashMap.newKeySet();

	@Autowired
	MongoNameIndex(MongoDatabaseFactory factory) {
		this(factory, DEFAULT_BUCKET_SIZE);
	}

	MongoNameIndex(MongoDatabaseFactory factory, int bucketSize) {
		this.factory = factory;
		this.bucketSize = bucketSize;
		// the guarded add names both keys, so that the embedded server finds the bucket by index
		names().createIndex(com.mongodb.client.model.Indexes.ascending("_id", "split"),
				new com.mongodb.client.model.IndexOptions().unique(true).name("bucket_split"));
	}

	private MongoCollection<Document> names() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_names");
	}

	@Override
	public void add(ProgramId program, MemberId member, String name) {
		for (String word : NameIndex.words(name)) {
			String key = entry(word, name, member);
			String prefix = key.substring(0, root(word));
			while (true) {
				String id = id(program, prefix);
				// a bucket whose prefix is a whole entry holds that entry alone, so it never freezes
				if (frozen.contains(id) && prefix.length() < key.length()) {
					prefix = child(program, prefix, key);
					continue;
				}
				if (addTo(id, key)) {
					break;
				}
				frozen.add(id);
			}
		}
	}

	/**
	 * Each bucket written once per {@link #bucketSize} entries it receives, instead of once per
	 * entry, and all the buckets a batch reaches at one depth written together: one bulk write and
	 * one read per depth, where one guarded write per bucket made a batch of 500 names about 80
	 * commands, each waiting for its disk sync.
	 */
	@Override
	public void addAll(ProgramId program, Map<MemberId, String> named) {
		Map<String, List<String>> round = new java.util.LinkedHashMap<>();
		named.forEach((member, name) -> {
			for (String word : NameIndex.words(name)) {
				String key = entry(word, name, member);
				round.computeIfAbsent(key.substring(0, root(word)), p -> new ArrayList<>()).add(key);
			}
		});
		while (!round.isEmpty()) {
			Map<String, List<String>> next = new java.util.LinkedHashMap<>();
			Map<String, List<String>> writing = new java.util.LinkedHashMap<>(); // by bucket id
			Map<String, String> prefixOf = new HashMap<>();
			round.forEach((prefix, keys) -> {
				String id = id(program, prefix);
				if (frozen.contains(id)) {
					List<String> whole = new ArrayList<>();
					for (String key : keys) {
						if (prefix.length() < key.length()) {
							next.computeIfAbsent(key.substring(0, prefix.length() + 1), p -> new ArrayList<>()).add(key);
							child(program, prefix, key);
						}
						else {
							whole.add(key); // a bucket whose prefix is a whole entry never freezes
						}
					}
					if (!whole.isEmpty()) {
						addTo(id, whole);
					}
					return;
				}
				int chunk = Math.min(bucketSize, keys.size());
				writing.put(id, keys.subList(0, chunk));
				prefixOf.put(id, prefix);
				if (chunk < keys.size()) {
					next.computeIfAbsent(prefix, p -> new ArrayList<>()).addAll(keys.subList(chunk, keys.size()));
				}
			});
			addToAll(writing).forEach(id -> {
				// frozen before the entries came: they go one character deeper, as one by one
				frozen.add(id);
				next.computeIfAbsent(prefixOf.get(id), p -> new ArrayList<>()).addAll(0, writing.get(id));
			});
			round.clear();
			round.putAll(next);
		}
	}

	/**
	 * {@link #addTo} for many buckets: a guarded add to each in one bulk write, then one read of
	 * what they hold now. Buckets that do not exist yet are created in one more write, and those
	 * that passed their size are frozen in another.
	 *
	 * @return the buckets found frozen, which did not take their entries
	 */
	private Set<String> addToAll(Map<String, List<String>> keysById) {
		if (keysById.isEmpty()) {
			return Set.of();
		}
		long matched = names().bulkWrite(keysById.entrySet().stream()
				.<com.mongodb.client.model.WriteModel<Document>>map(e -> new com.mongodb.client.model.UpdateOneModel<>(
						new Document("_id", e.getKey()).append("split", false),
						Updates.combine(Updates.addEachToSet("entries", e.getValue()), Updates.inc("n", e.getValue().size()))))
				.toList(), new com.mongodb.client.model.BulkWriteOptions().ordered(false)).getMatchedCount();
		Map<String, Document> now = read(keysById.keySet(), "n", "split");
		long open = now.values().stream().filter(d -> !d.getBoolean("split", false)).count();
		// Buckets are never deleted, so every bucket the write matched is read now. When the write
		// matched exactly the open buckets read, each of them took its entries. Otherwise a bucket
		// was frozen or created by another node in between: the entries say which took them.
		Map<String, Document> held = matched == open && open == now.size() ? null
				: read(now.keySet(), "entries", "n", "split");
		Set<String> refused = new java.util.HashSet<>();
		List<String> created = new ArrayList<>();
		List<String> full = new ArrayList<>();
		keysById.forEach((id, keys) -> {
			Document bucket = held == null ? now.get(id) : held.get(id);
			if (bucket == null) {
				created.add(id);
				return;
			}
			boolean took = held == null || bucket.getList("entries", String.class, List.of()).containsAll(keys);
			if (!took && bucket.getBoolean("split", false)) {
				refused.add(id);
			}
			else if (!took && !addTo(id, keys)) { // created by another node after this write missed it
				refused.add(id);
			}
			else if (!bucket.getBoolean("split", false) && bucket.get("n", Number.class).intValue() > bucketSize) {
				full.add(id);
			}
		});
		if (!created.isEmpty()) {
			// new buckets; should another node freeze one meanwhile, the entries still sit on their path
			names().bulkWrite(created.stream()
					.<com.mongodb.client.model.WriteModel<Document>>map(id -> new com.mongodb.client.model.UpdateOneModel<>(
							eq("_id", id), Updates.combine(Updates.addEachToSet("entries", keysById.get(id)),
									Updates.inc("n", keysById.get(id).size()), Updates.setOnInsert("split", false)),
							new UpdateOptions().upsert(true)))
					.toList(), new com.mongodb.client.model.BulkWriteOptions().ordered(false));
		}
		if (!full.isEmpty()) {
			// entries already here stay; from now on these buckets' ranges go one character deeper
			names().updateMany(com.mongodb.client.model.Filters.in("_id", full), Updates.set("split", true));
			frozen.addAll(full);
		}
		return refused;
	}

	/** Buckets by id, in one read by their ids, with only the given fields. */
	private Map<String, Document> read(java.util.Collection<String> ids, String... fields) {
		Map<String, Document> found = new HashMap<>();
		if (!ids.isEmpty()) {
			names().find(com.mongodb.client.model.Filters.in("_id", new ArrayList<>(ids)))
					.projection(Projections.include(fields)).forEach(d -> found.put(d.getString("_id"), d));
		}
		return found;
	}

	/** False when the bucket is frozen. */
	private boolean addTo(String id, String key) {
		return addTo(id, List.of(key));
	}

	/** False when the bucket is frozen. */
	private boolean addTo(String id, List<String> keys) {
		Document after = names().findOneAndUpdate(new Document("_id", id).append("split", false),
				Updates.combine(Updates.addEachToSet("entries", keys), Updates.inc("n", keys.size())),
				new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER).projection(Projections.include("n")));
		if (after == null) {
			Document existing = names().find(eq("_id", id)).projection(Projections.include("split")).first();
			if (existing != null && existing.getBoolean("split", false)) {
				return false;
			}
			// a new bucket; should another node freeze it meanwhile, the entries still sit on their path
			names().updateOne(eq("_id", id), Updates.combine(Updates.addEachToSet("entries", keys),
					Updates.inc("n", keys.size()), Updates.setOnInsert("split", false)), new UpdateOptions().upsert(true));
			return true;
		}
		if (after.get("n", Number.class).intValue() > bucketSize) {
			// entries already here stay; from now on this bucket's range goes one character deeper
			names().updateOne(eq("_id", id), Updates.set("split", true));
			frozen.add(id);
		}
		return true;
	}

	/** The next bucket down, listed in its parent first so that searches can find it. */
	private String child(ProgramId program, String prefix, String key) {
		String next = key.substring(0, prefix.length() + 1);
		String parent = id(program, prefix);
		String letter = next.substring(prefix.length());
		if (!listedChildren.contains(parent + SEPARATOR + letter)) {
			names().updateOne(eq("_id", parent), Updates.addToSet("children", letter));
			listedChildren.add(parent + SEPARATOR + letter);
		}
		return next;
	}

	@Override
	public void remove(ProgramId program, MemberId member, String name) {
		for (String word : NameIndex.words(name)) {
			String key = entry(word, name, member);
			String prefix = key.substring(0, root(word));
			while (true) {
				String id = id(program, prefix);
				Document before = names().findOneAndUpdate(eq("_id", id), Updates.pull("entries", key),
						new FindOneAndUpdateOptions().projection(Projections.include("split")));
				if (before == null || !before.getBoolean("split", false) || prefix.length() >= key.length()) {
					break;
				}
				prefix = key.substring(0, prefix.length() + 1);
			}
		}
	}

	@Override
	public List<Entry> find(ProgramId program, String namePrefix, String afterEntry, int limit) {
		String wanted = NameIndex.normalise(namePrefix);
		List<String> found = new ArrayList<>();
		String prefix = wanted.substring(0, Math.min(wanted.length(), NameIndex.MIN_PREFIX));
		// frozen buckets above the wanted prefix hold some of its entries among others
		while (prefix.length() < wanted.length()) {
			Document bucket = bucket(program, prefix);
			if (bucket == null) {
				return page(found, limit);
			}
			collect(bucket, wanted, afterEntry, found);
			if (!bucket.getBoolean("split", false)) {
				return page(found, limit);
			}
			prefix = wanted.substring(0, prefix.length() + 1);
		}
		subtree(program, prefix, wanted, afterEntry, limit, found);
		return page(found, limit);
	}

	/**
	 * Collects the entries under {@code prefix}, children in key order, and stops once the
	 * children read so far hold a page: every later child sorts after all of them.
	 */
	private int subtree(ProgramId program, String prefix, String wanted, String afterEntry, int limit,
			List<String> found) {
		if (afterEntry != null && prefix.compareTo(afterEntry.substring(0, Math.min(prefix.length(), afterEntry.length()))) < 0) {
			return 0; // the whole range sorts before the cursor
		}
		Document bucket = bucket(program, prefix);
		if (bucket == null) {
			return 0;
		}
		int count = collect(bucket, wanted, afterEntry, found);
		if (bucket.getBoolean("split", false)) {
			List<String> children = new ArrayList<>(bucket.getList("children", String.class, List.of()));
			children.sort(null);
			int fromChildren = 0;
			for (String letter : children) {
				if (fromChildren >= limit) {
					break;
				}
				fromChildren += subtree(program, prefix + letter, wanted, afterEntry, limit, found);
			}
			count += fromChildren;
		}
		return count;
	}

	private static int collect(Document bucket, String wanted, String afterEntry, List<String> found) {
		int count = 0;
		for (String e : bucket.getList("entries", String.class, List.of())) {
			if (e.startsWith(wanted) && (afterEntry == null || e.compareTo(afterEntry) > 0)) {
				found.add(e);
				count++;
			}
		}
		return count;
	}

	private static List<Entry> page(List<String> found, int limit) {
		found.sort(null);
		List<Entry> page = new ArrayList<>();
		for (String e : found.subList(0, Math.min(limit, found.size()))) {
			page.add(new Entry(e, new MemberId(e.substring(e.lastIndexOf(SEPARATOR) + 1))));
		}
		return page;
	}

	private Document bucket(ProgramId program, String prefix) {
		return names().find(eq("_id", id(program, prefix))).first();
	}

	private static int root(String word) {
		return Math.min(word.length(), NameIndex.MIN_PREFIX);
	}

	private static String id(ProgramId program, String prefix) {
		return program.value() + "|" + prefix;
	}

	private static String entry(String word, String name, MemberId member) {
		return word + SEPARATOR + NameIndex.normalise(name) + SEPARATOR + member.value();
	}
}
