package io.fidelis.points.adapter.out.mongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.Source;

/**
 * An account's lots as one binary value. An account keeps a lot per credit for up to 400 days, and
 * every write of the account rewrites them all: as BSON subdocuments (a dozen values each) the
 * store copied, compared and logged every value of every lot on each earn, which made the store's
 * handling of that one document the largest cost of an earn. As bytes they are one value to copy,
 * compare and log, about a tenth of the size.
 *
 * <p>Format 1: the format byte; the table of distinct strings (varint count, then each as varint
 * length + 1 and UTF-8); the varint number of lots; per lot the varints {@code id, amount, remaining,
 * reversed}, a flags byte ({@link #PENDING}, {@link #EXPIRES}, {@link #SOURCE}), {@code earnedAt}
 * in epoch milliseconds, {@code availableAt} and {@code expiresAt} as milliseconds after it (zigzag),
 * then string references (table index + 1, 0 for none): the source's channel, region, store,
 * partner and reference when it has one, then the transaction and who recorded it. Instants keep
 * milliseconds, as a BSON date does.
 */
final class PackedLots {

	static final byte FORMAT = 1;
	private static final int PENDING = 1;
	private static final int EXPIRES = 2;
	private static final int SOURCE = 4;

	private PackedLots() {
	}

	static byte[] pack(List<Lot> lots) {
		return pack(lots, null).bytes();
	}

	static List<Lot> unpack(byte[] packed) {
		return read(packed).lots();
	}

	/**
	 * Lots with the bytes they were read from or packed as, and where in those bytes the string
	 * table and the lots lie, so that packing a list that only adds lots to these (an earn) copies
	 * the bytes already made instead of encoding every lot again.
	 *
	 * @param strings     the string table, in order
	 * @param stringsFrom where the first string of the table starts in {@code bytes}
	 * @param stringsTo   where the table ends
	 * @param lotsFrom    where the first lot starts (after the lot count)
	 * @param places      where {@link #index()} keeps what it built, or what packing handed on
	 */
	record Image(byte[] bytes, List<Lot> lots, String[] strings, int stringsFrom, int stringsTo, int lotsFrom,
			java.util.concurrent.atomic.AtomicReference<Places> places) {

		Image(byte[] bytes, List<Lot> lots, String[] strings, int stringsFrom, int stringsTo, int lotsFrom) {
			this(bytes, lots, strings, stringsFrom, stringsTo, lotsFrom, new java.util.concurrent.atomic.AtomicReference<>());
		}

		/** Each string's place in the table (the first, should one appear twice), built the first time a pack builds on this image. */
		Places index() {
			Places index = places.get();
			if (index == null) {
				Map<String, Integer> built = new HashMap<>(strings.length * 2);
				for (int i = strings.length - 1; i >= 0; i--) {
					built.put(strings[i], i);
				}
				places.compareAndSet(null, new Places(null, built, 0));
				index = places.get();
			}
			return index;
		}
	}

	/**
	 * Strings' places in a table: those of the table an image was packed on ({@code under}), then
	 * those it added ({@code own}; never one already under). An earn adds a lot and a few strings
	 * to an account's hundreds: building every string's place again for each earn cost 1.7 % of
	 * its CPU, so a packed image hands its places on, a few levels deep before they are built anew.
	 * Never changed once made, so images packed on the same one at once share it safely.
	 */
	record Places(Places under, Map<String, Integer> own, int depth) {

		static final int DEEPEST = 16;

		Integer get(String value) {
			for (Places p = this; p != null; p = p.under) {
				Integer at = p.own.get(value);
				if (at != null) {
					return at;
				}
			}
			return null;
		}
	}

	/**
	 * Packs {@code lots}; when {@code previous} holds the same lot objects in the same order at the
	 * start of {@code lots} (what a credit leaves), its bytes are copied and only the lots after them
	 * encoded. The result is byte for byte what packing the whole list gives (a test compares them).
	 */
	static Image pack(List<Lot> lots, Image previous) {
		boolean extends_ = previous != null && lots.size() >= previous.lots().size();
		for (int i = 0; extends_ && i < previous.lots().size(); i++) {
			extends_ = lots.get(i) == previous.lots().get(i);
		}
		Image base = extends_ ? previous : null;
		StringTable table = new StringTable(base);
		PackedBytes.Out newLots = new PackedBytes.Out((lots.size() - (base == null ? 0 : base.lots().size())) * 24 + 8);
		for (int i = base == null ? 0 : base.lots().size(); i < lots.size(); i++) {
			write(lots.get(i), newLots, table);
		}
		int oldStrings = base == null ? 0 : base.stringsTo() - base.stringsFrom();
		int oldLots = base == null ? 0 : base.bytes().length - base.lotsFrom();
		PackedBytes.Out packed = new PackedBytes.Out(oldStrings + oldLots + newLots.size() + table.added.size() * 16 + 16);
		packed.write(FORMAT);
		packed.varint(table.size());
		int stringsFrom = packed.size();
		if (base != null) {
			packed.write(base.bytes(), base.stringsFrom(), oldStrings);
		}
		table.added.forEach(packed::inline);
		int stringsTo = packed.size();
		packed.varint(lots.size());
		int lotsFrom = packed.size();
		if (base != null) {
			packed.write(base.bytes(), base.lotsFrom(), oldLots);
		}
		newLots.writeTo(packed);
		Places places = base == null ? new Places(null, table.addedIndex, 0)
				: table.index.depth() < Places.DEEPEST ? new Places(table.index, table.addedIndex, table.index.depth() + 1)
				: null; // built anew when a pack builds on it
		return new Image(packed.toByteArray(), List.copyOf(lots), table.all(), stringsFrom, stringsTo, lotsFrom,
				new java.util.concurrent.atomic.AtomicReference<>(places));
	}

	private static void write(Lot lot, PackedBytes.Out body, StringTable table) {
		body.varint(lot.id());
		body.varint(lot.amount());
		body.varint(lot.remaining());
		body.varint(lot.reversed());
		body.write((lot.pending() ? PENDING : 0) | (lot.expiresAt() != null ? EXPIRES : 0)
				| (lot.source() != null ? SOURCE : 0));
		long earned = lot.earnedAt().toEpochMilli();
		body.zigzag(earned);
		body.zigzag(lot.availableAt().toEpochMilli() - earned);
		if (lot.expiresAt() != null) {
			body.zigzag(lot.expiresAt().toEpochMilli() - earned);
		}
		if (lot.source() != null) {
			Source s = lot.source();
			table.write(s.channel().name(), body);
			table.write(s.region(), body);
			table.write(s.store(), body);
			table.write(s.partner(), body);
			table.write(s.externalReference(), body);
		}
		table.write(lot.transaction(), body);
		table.write(lot.recordedBy(), body);
	}

	/** The strings of an image packed on, and those the new lots add after them. */
	private static final class StringTable {
		private final String[] known;
		private final Places index;
		private final Map<String, Integer> addedIndex = new HashMap<>();
		final List<String> added = new ArrayList<>();

		StringTable(Image base) {
			this.known = base == null ? new String[0] : base.strings();
			this.index = base == null ? new Places(null, Map.of(), 0) : base.index();
		}

		void write(String value, PackedBytes.Out body) {
			if (value == null) {
				body.write(0);
				return;
			}
			Integer at = index.get(value);
			if (at == null) {
				at = addedIndex.get(value);
				if (at == null) {
					at = known.length + added.size();
					addedIndex.put(value, at);
					added.add(value);
				}
			}
			body.varint(at + 1L);
		}

		int size() {
			return known.length + added.size();
		}

		String[] all() {
			String[] all = java.util.Arrays.copyOf(known, size());
			for (int i = 0; i < added.size(); i++) {
				all[known.length + i] = added.get(i);
			}
			return all;
		}
	}

	static Image read(byte[] packed) {
		PackedBytes.In in = new PackedBytes.In(packed);
		int format = in.read();
		if (format != FORMAT) {
			throw new IllegalStateException("Unknown format " + format + " of an account's packed lots");
		}
		String[] strings = new String[in.count()];
		int stringsFrom = in.position();
		for (int i = 0; i < strings.length; i++) {
			strings[i] = in.inline();
		}
		int stringsTo = in.position();
		// each lot names its channel by the table: looked up once per table entry, not per lot
		Channel[] channels = new Channel[strings.length];
		int count = in.count();
		int lotsFrom = in.position();
		List<Lot> lots = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			long id = in.varint();
			long amount = in.varint();
			long remaining = in.varint();
			long reversed = in.varint();
			int flags = in.read();
			long earned = in.zigzag();
			Instant availableAt = Instant.ofEpochMilli(earned + in.zigzag());
			Instant expiresAt = (flags & EXPIRES) != 0 ? Instant.ofEpochMilli(earned + in.zigzag()) : null;
			Source source = null;
			if ((flags & SOURCE) != 0) {
				int channel = in.reference(strings.length);
				if (channel < 0) {
					throw new IllegalStateException("A packed lot's source names no channel");
				}
				if (channels[channel] == null) {
					channels[channel] = Channel.valueOf(strings[channel]);
				}
				source = new Source(channels[channel], in.string(strings), in.string(strings), in.string(strings),
						in.string(strings));
			}
			lots.add(new Lot(id, amount, remaining, reversed, (flags & PENDING) != 0, Instant.ofEpochMilli(earned),
					availableAt, expiresAt, source, in.string(strings), in.string(strings)));
		}
		in.requireEnd();
		return new Image(packed, List.copyOf(lots), strings, stringsFrom, stringsTo, lotsFrom);
	}
}
