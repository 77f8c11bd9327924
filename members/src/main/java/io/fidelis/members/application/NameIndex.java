package io.fidelis.members.application;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/**
 * Members by the first letters of any word of their name, kept in buckets addressed by exact
 * keys (program and the word's first three letters), so that a search reads one document
 * whatever the number of members.
 */
public interface NameIndex {

	int MIN_PREFIX = 3;

	void add(ProgramId program, MemberId member, String name);

	/** Indexes many members' names at once (an import batch): the store writes each bucket once per batch. */
	default void addAll(ProgramId program, Map<MemberId, String> names) {
		names.forEach((member, name) -> add(program, member, name));
	}

	void remove(ProgramId program, MemberId member, String name);

	/**
	 * Entries whose word starts with {@code prefix}, in order, after {@code afterEntry} (null for
	 * the first page), at most {@code limit}.
	 */
	List<Entry> find(ProgramId program, String prefix, String afterEntry, int limit);

	/** @param key sortable: word, full name, member id */
	record Entry(String key, MemberId member) {
	}

	/** Lower case, accents removed: "Élodie" is found by "elo". */
	static String normalise(String text) {
		return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).strip();
	}

	/** The words of a name worth indexing: letters and digits, at least one character. */
	static Set<String> words(String name) {
		Set<String> words = new LinkedHashSet<>();
		for (String word : normalise(name).split("[^\\p{L}\\p{N}]+")) {
			if (!word.isEmpty()) {
				words.add(word);
			}
		}
		return words;
	}
}
