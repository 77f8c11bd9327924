package io.fidelis.bootstrap.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Audit entry ids sort by time as strings and do not repeat within a millisecond. */
class AuditIdTest {

	@Test
	void an_id_is_the_millisecond_padded_to_thirteen_digits_then_twelve_hex_digits() {
		assertThat(AuditTrail.newId(Instant.ofEpochMilli(5))).matches("0000000000005-[0-9a-f]{12}");
		assertThat(AuditTrail.newId(Instant.parse("2026-12-07T21:00:00.123Z"))).matches("1796677200123-[0-9a-f]{12}");
	}

	@Test
	void ids_sort_as_their_times_and_never_repeat() {
		List<String> ids = new ArrayList<>();
		for (long millis = 1; millis < 10_000_000_000_000L; millis *= 7) {
			for (int i = 0; i < 50; i++) {
				ids.add(AuditTrail.newId(Instant.ofEpochMilli(millis)));
			}
		}
		assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
		List<String> sorted = new ArrayList<>(ids);
		sorted.sort(null);
		assertThat(sorted.stream().map(id -> Long.parseLong(id.substring(0, 13))).toList()).isSorted();
		assertThat(ids).allMatch(id -> id.length() == 26);
	}
}
