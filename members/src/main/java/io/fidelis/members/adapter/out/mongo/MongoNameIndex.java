package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.util.ArrayList;
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
	 * entry: an import batch's names cost a few writes per common three-letter prefix.
	 */
	@Override
	public void addAll(ProgramId program, Map<MemberId, String> named) {
		Map<String, List<String>> byPrefix = new java.util.LinkedHashMap<>();
		named.forEach((member, name) -> {
			for (String word : NameIndex.words(name)) {
				String key = entry(word, name, member);
				byPrefix.computeIfAbsent(key.substring(0, root(word)), p -> new ArrayList<>()).add(key);
			}
		});
		java.util.Deque<Map.Entry<String, List<String>>> work = new java.util.ArrayDeque<>(byPrefix.entrySet());
		while (!work.isEmpty()) {
			Map.Entry<String, List<String>> next = work.pop();
			String prefix = next.getKey();
			List<String> keys = next.getValue();
			String id = id(program, prefix);
			if (frozen.contains(id)) {
				Map<String, List<String>> deeper = new java.util.LinkedHashMap<>();
				List<String> whole = new ArrayList<>();
				for (String key : keys) {
					if (prefix.length() < key.length()) {
						deeper.computeIfAbsent(child(program, prefix, key), p -> new ArrayList<>()).add(key);
					}
					else {
						whole.add(key); // a bucket whose prefix is a whole entry never freezes
					}
				}
				if (!whole.isEmpty()) {
					addTo(id, whole);
				}
				deeper.entrySet().forEach(work::push);
				continue;
			}
			List<String> chunk = keys.subList(0, Math.min(bucketSize, keys.size()));
			if (!addTo(id, chunk)) {
				frozen.add(id);
				work.push(Map.entry(prefix, keys));
			}
			else if (chunk.size() < keys.size()) {
				work.push(Map.entry(prefix, keys.subList(chunk.size(), keys.size())));
			}
		}
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
