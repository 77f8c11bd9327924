package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.Source;

class PackedLotsTest {

	static final String[] STORES = { null, "paris-1", "lyon-2", "Zürich Hbf" };

	/** Any lots read back as they were written, to the millisecond a BSON date keeps. */
	@RepeatedTest(50)
	void lotsReadBackAsTheyWereWritten(RepetitionInfo repetition) {
		Random random = new Random(31L * repetition.getCurrentRepetition());
		List<Lot> lots = new ArrayList<>();
		int count = random.nextInt(repetition.getCurrentRepetition() == 1 ? 1 : 300);
		for (int i = 0; i < count; i++) {
			lots.add(randomLot(random, i));
		}
		assertThat(PackedLots.unpack(PackedLots.pack(lots))).isEqualTo(lots);
	}

	/**
	 * Packing on an earlier image, read or packed, gives exactly the bytes of packing the whole
	 * list: when the list adds lots to the image's (only the new ones are encoded), and when it
	 * changed, removed or reordered one (everything is packed again).
	 */
	@RepeatedTest(50)
	void packingOnAnEarlierImageGivesTheBytesOfPackingEverything(RepetitionInfo repetition) {
		Random random = new Random(17L * repetition.getCurrentRepetition());
		List<Lot> before = new ArrayList<>();
		int count = random.nextInt(120);
		for (int i = 0; i < count; i++) {
			before.add(randomLot(random, i));
		}
		PackedLots.Image packed = PackedLots.pack(before, null);
		PackedLots.Image read = PackedLots.read(packed.bytes());
		assertThat(read.bytes()).isEqualTo(PackedLots.pack(before));
		for (PackedLots.Image image : List.of(packed, read)) {
			List<Lot> after = new ArrayList<>(image.lots());
			switch (random.nextInt(4)) {
				case 0 -> { // a credit, or several
					for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
						after.add(randomLot(random, count + i));
					}
				}
				case 1 -> { // a redemption touches a lot
					if (!after.isEmpty()) {
						int i = random.nextInt(after.size());
						Lot l = after.get(i);
						after.set(i, new Lot(l.id(), l.amount(), 0, l.reversed(), false, l.earnedAt(), l.availableAt(),
								l.expiresAt(), l.source(), l.transaction(), l.recordedBy()));
					}
					after.add(randomLot(random, count));
				}
				case 2 -> { // an old lot goes
					if (!after.isEmpty()) {
						after.remove(random.nextInt(after.size()));
					}
				}
				default -> { // nothing changed
				}
			}
			PackedLots.Image next = PackedLots.pack(after, image);
			assertThat(next.bytes()).isEqualTo(PackedLots.pack(after));
			assertThat(PackedLots.unpack(next.bytes())).isEqualTo(after);
			// and the image after it builds on it in turn
			List<Lot> more = new ArrayList<>(next.lots());
			more.add(randomLot(random, count + 10));
			assertThat(PackedLots.pack(more, next).bytes()).isEqualTo(PackedLots.pack(more));
		}
	}

	/**
	 * An account earning many times, each pack built on the image of the one before (the places
	 * of strings handed on, and built anew past {@link PackedLots.Places#DEEPEST} levels), gives
	 * at every step the bytes of packing everything; strings repeat across the run.
	 */
	@RepeatedTest(5)
	void aLongRunOfEarnsPackedOnEachOtherGivesTheBytesOfPackingEverything(RepetitionInfo repetition) {
		Random random = new Random(31L * repetition.getCurrentRepetition());
		List<Lot> lots = new ArrayList<>();
		PackedLots.Image image = repetition.getCurrentRepetition() % 2 == 0 ? null : PackedLots.read(PackedLots.pack(lots));
		int deepest = 0;
		for (int i = 0; i < 3 * PackedLots.Places.DEEPEST + 5; i++) {
			lots.add(randomLot(random, i));
			image = PackedLots.pack(lots, image);
			assertThat(image.bytes()).as("after earn %d", i).isEqualTo(PackedLots.pack(lots));
			deepest = Math.max(deepest, image.index().depth());
		}
		assertThat(PackedLots.unpack(image.bytes())).isEqualTo(lots);
		assertThat(deepest).as("places handed on").isEqualTo(PackedLots.Places.DEEPEST);
	}

	@Test
	void recentLotsAreTakenOnlyForTheBytesTheyCameFrom() {
		RecentLots recent = new RecentLots(2);
		Random random = new Random(3);
		List<Lot> lots = new ArrayList<>(List.of(randomLot(random, 0), randomLot(random, 1)));
		org.bson.types.Binary written = recent.pack("m1", lots);
		assertThat(written.getData()).isEqualTo(PackedLots.pack(lots));
		assertThat(recent.read("m1", new org.bson.types.Binary(written.getData()))).isEqualTo(lots);
		assertThat(recent.read("m1", new org.bson.types.Binary(written.getData())).get(0))
				.as("the same objects, not unpacked again").isSameAs(lots.get(0));

		List<Lot> elsewhere = List.of(randomLot(random, 5)); // another node wrote the account since
		assertThat(recent.read("m1", new org.bson.types.Binary(PackedLots.pack(elsewhere)))).isEqualTo(elsewhere);
		List<Lot> credited = new ArrayList<>(recent.read("m1", new org.bson.types.Binary(PackedLots.pack(elsewhere))));
		credited.add(randomLot(random, 6));
		assertThat(recent.pack("m1", credited).getData()).isEqualTo(PackedLots.pack(credited));

		recent.forget("m1");
		assertThat(recent.read("m1", written)).isEqualTo(lots).element(0).isNotSameAs(lots.get(0));
		recent.pack("m1", lots);
		recent.pack("m2", lots);
		recent.pack("m3", lots); // it holds two: m1 goes
		assertThat(recent.read("m1", written)).isEqualTo(lots).element(0).isNotSameAs(lots.get(0));
	}

	@Test
	void extremesReadBack() {
		Instant early = Instant.ofEpochMilli(-86_400_000L * 365 * 80); // before 1970: zigzag keeps the sign
		Lot lot = new Lot(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, 0, false, early, early.plusMillis(1),
				Instant.ofEpochMilli(Long.MAX_VALUE / 4), null, null, null);
		assertThat(PackedLots.unpack(PackedLots.pack(List.of(lot)))).containsExactly(lot);
		assertThat(PackedLots.unpack(PackedLots.pack(List.of()))).isEmpty();
	}

	@Test
	void aLotPerEarnCostsTensOfBytes() {
		List<Lot> lots = new ArrayList<>();
		Random random = new Random(7);
		for (int i = 0; i < 100; i++) {
			Instant at = Instant.parse("2026-01-01T10:00:00Z").plusSeconds(86_400L * i + random.nextInt(3600));
			lots.add(new Lot(i + 1, 10 + i, 10 + i, 0, false, at, at, at.plusSeconds(86_400L * 365),
					new Source(Channel.IN_STORE, "FR", "paris-1", null, "receipt-" + i), "tx-" + i, "client:pos-paris"));
		}
		int bson = new RawBsonDocument(new Document("lots", UnpackedLots.of(lots)), new DocumentCodec()).getByteBuffer()
				.remaining();
		assertThat(PackedLots.pack(lots).length).as("packed against %s bytes of BSON", bson).isLessThan(bson / 5);
	}

	@Test
	void damagedBytesAreRefusedNotMisread() {
		byte[] packed = PackedLots.pack(List.of(randomLot(new Random(1), 0), randomLot(new Random(2), 1)));
		byte[] unknownFormat = packed.clone();
		unknownFormat[0] = 9;
		assertThatThrownBy(() -> PackedLots.unpack(unknownFormat)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("Unknown format 9");
		assertThatThrownBy(() -> PackedLots.unpack(Arrays.copyOf(packed, packed.length - 1)))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("end early");
		assertThatThrownBy(() -> PackedLots.unpack(Arrays.copyOf(packed, packed.length + 1)))
				.isInstanceOf(IllegalStateException.class).hasMessageContaining("end after");
		assertThatThrownBy(() -> PackedLots.unpack(new byte[0])).isInstanceOf(IllegalStateException.class);
	}

	static Lot randomLot(Random random, int i) {
		long amount = 1 + (random.nextBoolean() ? random.nextInt(1000) : Math.abs(random.nextLong() % 1_000_000_000_000L));
		long remaining = random.nextInt(3) == 0 ? 0 : 1 + Math.floorMod(random.nextLong(), amount);
		long reversed = random.nextInt(4) == 0 ? Math.floorMod(random.nextLong(), amount + 1) : 0;
		Instant earned = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000_000));
		boolean pending = random.nextBoolean();
		Instant available = pending ? earned.plusMillis(random.nextInt(2_000_000_000)) : earned;
		Instant expires = random.nextInt(3) == 0 ? null : earned.plusMillis(86_400_000L * (1 + random.nextInt(800)));
		Source source = random.nextInt(4) == 0 ? null
				: new Source(Channel.values()[random.nextInt(Channel.values().length)], random.nextBoolean() ? "FR" : null,
						STORES[random.nextInt(STORES.length)], random.nextBoolean() ? "partner-" + random.nextInt(3) : null,
						random.nextBoolean() ? "ref-" + random.nextInt(1000) : null);
		return new Lot(i + 1L, amount, remaining, reversed, pending, earned, available, expires, source,
				random.nextInt(5) == 0 ? null : "tx-" + random.nextInt(50),
				random.nextBoolean() ? null : "client:pos-" + random.nextInt(3));
	}
}
