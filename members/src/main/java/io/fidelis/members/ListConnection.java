package io.fidelis.members;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One page of a list already in order, as the API's Relay connections answer it ({@code edges},
 * the shared {@code PageInfo}, {@code totalCount}). A cursor is the item's key, opaque to the
 * client. A cursor that names no item of the list is refused rather than read as "from the
 * start", so a client never pages through the same items twice without noticing. Shared by every
 * module whose list can grow (a program's offers, stores, partners). The name ends in
 * "Connection" because Spring GraphQL passes a value to a connection type as it is only then.
 */
public record ListConnection<T>(List<Edge<T>> edges, PageInfo pageInfo, int totalCount) {

	/** One item and where it stands. */
	public record Edge<T>(String cursor, T node) {
	}

	/** The schema's shared PageInfo. */
	public record PageInfo(boolean hasPreviousPage, boolean hasNextPage, String startCursor, String endCursor) {
	}

	/**
	 * The page of up to {@code first} items (20 when null; 1 to 100) after the item the cursor
	 * names. A bad {@code first} or {@code after} is refused with {@code invalid(field, message)},
	 * the calling module's own refusal.
	 */
	public static <T> ListConnection<T> of(List<T> all, Function<T, String> key, Integer first, String after,
			BiFunction<String, String, ? extends RuntimeException> invalid) {
		return of(all, key, first == null ? 20 : first, after, 100, invalid);
	}

	/** The same with pages of up to {@code most} items, for lists read in larger pages (a print run's numbers). */
	public static <T> ListConnection<T> of(List<T> all, Function<T, String> key, int first, String after, int most,
			BiFunction<String, String, ? extends RuntimeException> invalid) {
		int size = first;
		if (size < 1 || size > most) {
			throw invalid.apply("first", "first is 1 to " + most);
		}
		int from = 0;
		if (after != null) {
			String afterKey = key(after, invalid);
			from = -1;
			for (int i = 0; i < all.size() && from < 0; i++) {
				if (key.apply(all.get(i)).equals(afterKey)) {
					from = i + 1;
				}
			}
			if (from < 0) {
				throw invalid.apply("after", "after is not a cursor of this list (it may have changed): start again without it");
			}
		}
		List<Edge<T>> edges = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size())).stream()
				.map(item -> new Edge<>(cursor(key.apply(item)), item)).toList();
		return new ListConnection<>(edges, new PageInfo(from > 0, from + size < all.size(),
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()),
				all.size());
	}

	/** The cursor of an item with this key; for lists paged in the store by key, too. */
	public static String cursor(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	/** The key a cursor names, or {@code invalid("after", …)} when it is not a cursor at all. */
	public static String key(String cursor, BiFunction<String, String, ? extends RuntimeException> invalid) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw invalid.apply("after", "after is a cursor from this connection");
		}
	}
}
