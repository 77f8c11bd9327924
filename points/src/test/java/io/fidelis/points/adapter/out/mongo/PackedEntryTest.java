package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Source;
import io.fidelis.points.domain.Spend;

class PackedEntryTest {

	/** Any entry reads back as it was written, to the millisecond a BSON date keeps. */
	@RepeatedTest(200)
	void entriesReadBackAsTheyWereWritten(RepetitionInfo repetition) {
		Entry entry = randomEntry(new Random(17L * repetition.getCurrentRepetition()));
		assertThat(PackedEntry.unpack(PackedEntry.pack(entry))).isEqualTo(entry);
	}

	@Test
	void anEarningTakesAFractionOfItsBsonSize() {
		Entry earned = new Entry(4711, EntryType.EARNED, 42, 0, Instant.parse("2026-12-05T10:15:30.123Z"), "receipt-1001",
				new Source(Channel.IN_STORE, "FR", "paris-01", null, "r-88"), null, "client:pos-demo|till-42-0002", null,
				1_042, 0, new Spend(new BigDecimal("42.50"), "EUR"));
		int bson = new RawBsonDocument(new Document("e", new Document("seq", 4711L).append("type", "EARNED")
				.append("available", 42L).append("pending", 0L).append("at", java.util.Date.from(earned.at()))
				.append("tx", "receipt-1001").append("source", new Document("channel", "IN_STORE").append("region", "FR")
						.append("store", "paris-01").append("partner", null).append("ref", "r-88"))
				.append("reason", null).append("request", "client:pos-demo|till-42-0002").append("counterpart", null)
				.append("availableAfter", 1_042L).append("pendingAfter", 0L)
				.append("spend", new Document("amount", "42.50").append("currency", "EUR"))), new DocumentCodec())
				.getByteBuffer().remaining();
		assertThat(PackedEntry.pack(earned).length).as("packed against %s bytes of BSON", bson).isLessThan(bson / 3);
	}

	@Test
	void damagedBytesAreRefusedNotMisread() {
		byte[] packed = PackedEntry.pack(randomEntry(new Random(3)));
		byte[] unknownFormat = packed.clone();
		unknownFormat[0] = 2;
		assertThatThrownBy(() -> PackedEntry.unpack(unknownFormat)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Unknown format 2");
		assertThatThrownBy(() -> PackedEntry.unpack(Arrays.copyOf(packed, packed.length - 1)))
				.isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(() -> PackedEntry.unpack(Arrays.copyOf(packed, packed.length + 1)))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("end after");
	}

	static Entry randomEntry(Random random) {
		EntryType type = EntryType.values()[random.nextInt(EntryType.values().length)];
		long big = random.nextBoolean() ? random.nextInt(1000) : random.nextLong() / 4;
		Source source = random.nextInt(4) == 0 ? null
				: new Source(Channel.values()[random.nextInt(Channel.values().length)], random.nextBoolean() ? "FR" : null,
						random.nextBoolean() ? "Zürich Hbf" : null, random.nextBoolean() ? "fly" : null,
						random.nextBoolean() ? "ref-" + random.nextInt(100) : null);
		return new Entry(1 + random.nextInt(1_000_000), type, random.nextBoolean() ? big : -big,
				random.nextBoolean() ? 0 : -random.nextInt(500), Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt()),
				random.nextInt(5) == 0 ? null : "tx-" + random.nextInt(100), source,
				random.nextBoolean() ? null : "reason ✓ " + random.nextInt(10), random.nextBoolean() ? null : "client:pos|k-" + random.nextInt(),
				random.nextInt(3) == 0 ? "m_" + random.nextInt(99) : null, random.nextLong() / 8, random.nextInt(10_000),
				random.nextBoolean() ? null : new Spend(new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5)), "EUR"));
	}
}
