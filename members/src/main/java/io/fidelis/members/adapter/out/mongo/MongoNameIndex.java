package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.NameIndex;

/** Name buckets in {@code members_names}: {@code _id} = program|first three letters of a word. */
@Component
class MongoNameIndex implements NameIndex {

	private static final String SEPARATOR = "\u0001";

	private final MongoDatabaseFactory factory;

	MongoNameIndex(MongoDatabaseFactory factory) {
		this.factory = factory;
	}

	private MongoCollection<Document> names() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection("members_names");
	}

	@Override
	public void add(ProgramId program, MemberId member, String name) {
		for (String word : NameIndex.words(name)) {
			names().updateOne(eq("_id", bucket(program, word)), Updates.addToSet("entries", entry(word, name, member)),
					new UpdateOptions().upsert(true));
		}
	}

	@Override
	public void remove(ProgramId program, MemberId member, String name) {
		for (String word : NameIndex.words(name)) {
			names().updateOne(eq("_id", bucket(program, word)), Updates.pull("entries", entry(word, name, member)));
		}
	}

	@Override
	public List<Entry> find(ProgramId program, String prefix, String afterEntry, int limit) {
		String normalised = NameIndex.normalise(prefix);
		Document bucket = names().find(eq("_id", bucket(program, normalised))).first();
		if (bucket == null) {
			return List.of();
		}
		List<String> entries = new ArrayList<>(bucket.getList("entries", String.class, List.of()));
		entries.sort(null);
		List<Entry> page = new ArrayList<>();
		for (String e : entries) {
			if (e.startsWith(normalised) && (afterEntry == null || e.compareTo(afterEntry) > 0)) {
				page.add(new Entry(e, new MemberId(e.substring(e.lastIndexOf(SEPARATOR) + 1))));
				if (page.size() == limit) {
					break;
				}
			}
		}
		return page;
	}

	private static String bucket(ProgramId program, String word) {
		return program.value() + "|" + word.substring(0, Math.min(word.length(), NameIndex.MIN_PREFIX));
	}

	private static String entry(String word, String name, MemberId member) {
		return word + SEPARATOR + NameIndex.normalise(name) + SEPARATOR + member.value();
	}
}
