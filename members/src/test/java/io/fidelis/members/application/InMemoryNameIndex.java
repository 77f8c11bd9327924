package io.fidelis.members.application;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** A name index for use-case tests, with the same ordering and prefix rule as the Mongo one. */
public class InMemoryNameIndex implements NameIndex {

	private final ConcurrentSkipListSet<String> entries = new ConcurrentSkipListSet<>();

	@Override
	public void add(ProgramId program, MemberId member, String name) {
		NameIndex.words(name).forEach(w -> entries.add(key(program, w, name, member)));
	}

	@Override
	public void remove(ProgramId program, MemberId member, String name) {
		NameIndex.words(name).forEach(w -> entries.remove(key(program, w, name, member)));
	}

	@Override
	public List<Entry> find(ProgramId program, String prefix, String afterEntry, int limit) {
		String start = program.value() + "|" + NameIndex.normalise(prefix);
		List<Entry> page = new ArrayList<>();
		for (String k : entries.tailSet(start)) {
			if (!k.startsWith(start) || page.size() == limit) {
				break;
			}
			String entry = k.substring(program.value().length() + 1);
			if (afterEntry == null || entry.compareTo(afterEntry) > 0) {
				page.add(new Entry(entry, new MemberId(entry.substring(entry.lastIndexOf('\u0001') + 1))));
			}
		}
		return page;
	}

	private static String key(ProgramId program, String word, String name, MemberId member) {
		return program.value() + "|" + word + "\u0001" + NameIndex.normalise(name) + "\u0001" + member.value();
	}
}
