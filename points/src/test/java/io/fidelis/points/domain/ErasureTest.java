package io.fidelis.points.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Erasure takes the free text a person could be named in, and nothing else. */
class ErasureTest {

	static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

	@Test
	void an_entry_loses_its_reason_and_reference_only() {
		Entry entry = new Entry(3, EntryType.ADJUSTED, -5, 0, T0, "adjustment:staff:ana",
				new Source(Channel.APP, "FR", "paris-1", null, "ticket for Ann Smith"), "Ann Smith complained", "staff:ana|k-1",
				null, 10, 0, new Spend(new java.math.BigDecimal("12.50"), "EUR"));

		Entry scrubbed = entry.withoutFreeText();

		assertThat(scrubbed.reason()).isNull();
		assertThat(scrubbed.source()).isEqualTo(new Source(Channel.APP, "FR", "paris-1", null, null));
		assertThat(scrubbed).usingRecursiveComparison().ignoringFields("reason", "source").isEqualTo(entry);
		assertThat(scrubbed.withoutFreeText()).as("twice changes nothing").isEqualTo(scrubbed);
	}

	@Test
	void a_lot_loses_its_reference_only() {
		Lot lot = new Lot(7, 40, 30, 0, false, T0, T0, T0.plusSeconds(86_400),
				new Source(Channel.IN_STORE, "FR", "lyon-2", "fly", "receipt of Ann Smith"), "tx-7", "client:pos-1");

		Lot scrubbed = lot.withoutFreeText();

		assertThat(scrubbed.source()).isEqualTo(new Source(Channel.IN_STORE, "FR", "lyon-2", "fly", null));
		assertThat(scrubbed).usingRecursiveComparison().ignoringFields("source").isEqualTo(lot);
		Lot staffCredit = new Lot(8, 5, 5, 0, false, T0, T0, null, null, "adjustment:staff:ana", "staff:ana");
		assertThat(staffCredit.withoutFreeText()).isSameAs(staffCredit);
	}
}
