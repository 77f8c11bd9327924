package io.fidelis.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Paging a list in order: the pages together are the list, once each; a cursor it never gave is refused. */
class ListConnectionTest {

	static final List<String> LETTERS = IntStream.range(0, 26).mapToObj(i -> String.valueOf((char) ('a' + i))).toList();

	static IllegalArgumentException invalid(String field, String message) {
		return new IllegalArgumentException(field + ": " + message);
	}

	@Test
	void pages_of_any_size_walk_the_whole_list_once() {
		for (int size = 1; size <= 27; size++) {
			List<String> walked = new ArrayList<>();
			String after = null;
			boolean more = true;
			boolean first = true;
			while (more) {
				ListConnection<String> page = ListConnection.of(LETTERS, s -> s, size, after, ListConnectionTest::invalid);
				assertThat(page.totalCount()).isEqualTo(26);
				assertThat(page.pageInfo().hasPreviousPage()).isEqualTo(!first);
				assertThat(page.edges()).hasSizeLessThanOrEqualTo(size);
				page.edges().forEach(e -> walked.add(e.node()));
				more = page.pageInfo().hasNextPage();
				after = page.pageInfo().endCursor();
				first = false;
			}
			assertThat(walked).as("pages of %d", size).isEqualTo(LETTERS);
		}
	}

	@Test
	void an_empty_list_is_one_empty_page() {
		ListConnection<String> page = ListConnection.of(List.of(), s -> s, null, null, ListConnectionTest::invalid);
		assertThat(page.edges()).isEmpty();
		assertThat(page.pageInfo()).isEqualTo(new ListConnection.PageInfo(false, false, null, null));
		assertThat(page.totalCount()).isZero();
	}

	@Test
	void a_cursor_is_opaque_and_names_its_item() {
		ListConnection<String> page = ListConnection.of(LETTERS, s -> s, 3, null, ListConnectionTest::invalid);
		assertThat(page.edges()).extracting(ListConnection.Edge::cursor).doesNotContain("a", "b", "c");
		assertThat(ListConnection.key(page.pageInfo().endCursor(), ListConnectionTest::invalid)).isEqualTo("c");
		assertThat(page.pageInfo().startCursor()).isEqualTo(ListConnection.cursor("a"));
	}

	@Test
	void bad_sizes_and_cursors_are_refused_with_the_callers_refusal() {
		assertThatThrownBy(() -> ListConnection.of(LETTERS, s -> s, 0, null, ListConnectionTest::invalid))
				.hasMessageStartingWith("first:");
		assertThatThrownBy(() -> ListConnection.of(LETTERS, s -> s, 101, null, ListConnectionTest::invalid))
				.hasMessageStartingWith("first:");
		assertThatThrownBy(() -> ListConnection.of(LETTERS, s -> s, 5, "%%%", ListConnectionTest::invalid))
				.hasMessageStartingWith("after:");
		assertThatThrownBy(() -> ListConnection.of(LETTERS, s -> s, 5, ListConnection.cursor("zz"), ListConnectionTest::invalid))
				.hasMessageStartingWith("after:");
	}
}
