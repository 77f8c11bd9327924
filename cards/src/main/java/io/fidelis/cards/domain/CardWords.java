package io.fidelis.cards.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a card in a language: Fidelis' own (English and French, from the files the passes
 * carry, {@code cards/pass/<language>.lproj/pass.strings}), English where Fidelis has none, and a
 * program's own words ({@link CardLanguage}) in their place. Passes and the member's card page say
 * the same thing.
 */
public final class CardWords {

	/** The languages Fidelis has words in; a program adds its own. */
	public static final List<String> STANDARD = List.of("en", "fr");

	private static final Pattern LINE = Pattern.compile("^\"([^\"]+)\" = \"((?:[^\"\\\\]|\\\\.)*)\";$", Pattern.MULTILINE);
	private static final Map<String, Map<String, String>> FIDELIS = new LinkedHashMap<>();

	static {
		for (String language : STANDARD) {
			FIDELIS.put(language, parse(read("cards/pass/" + language + ".lproj/pass.strings")));
		}
	}

	private CardWords() {
	}

	/** Fidelis' words in {@code language}, English where it has none. */
	public static Map<String, String> standard(String language) {
		return FIDELIS.getOrDefault(language, FIDELIS.get("en"));
	}

	/** Fidelis' words in {@code language} with the program's own in their place. */
	public static Map<String, String> of(CardDesign design, String language) {
		Map<String, String> words = new LinkedHashMap<>(standard(language));
		design.languages().stream().filter(l -> l.language().equals(language)).forEach(l -> words.putAll(l.words()));
		return words;
	}

	/** Fidelis' languages, then the program's own. */
	public static Set<String> languages(CardDesign design) {
		Set<String> languages = new LinkedHashSet<>(STANDARD);
		design.languages().forEach(l -> languages.add(l.language()));
		return languages;
	}

	/** The words of a {@code .strings} file ({@code "key" = "value";} lines), by key. */
	public static Map<String, String> parse(byte[] strings) {
		Map<String, String> words = new LinkedHashMap<>();
		Matcher line = LINE.matcher(new String(strings, StandardCharsets.UTF_8));
		while (line.find()) {
			words.put(line.group(1), line.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
		}
		return words;
	}

	/** A file of ours on the class path. */
	public static byte[] read(String path) {
		try (InputStream in = CardWords.class.getClassLoader().getResourceAsStream(path)) {
			if (in == null) {
				throw new IllegalStateException("Missing " + path);
			}
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
