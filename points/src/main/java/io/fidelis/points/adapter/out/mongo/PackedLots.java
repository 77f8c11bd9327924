package io.fidelis.points.adapter.out.mongo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * length and UTF-8); the varint number of lots; per lot the varints {@code id, amount, remaining,
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
		Map<String, Integer> table = new HashMap<>();
		List<String> strings = new ArrayList<>();
		Out body = new Out(lots.size() * 24 + 8);
		body.varint(lots.size());
		for (Lot lot : lots) {
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
				body.string(s.channel().name(), table, strings);
				body.string(s.region(), table, strings);
				body.string(s.store(), table, strings);
				body.string(s.partner(), table, strings);
				body.string(s.externalReference(), table, strings);
			}
			body.string(lot.transaction(), table, strings);
			body.string(lot.recordedBy(), table, strings);
		}
		Out packed = new Out(body.size() + strings.size() * 16 + 8);
		packed.write(FORMAT);
		packed.varint(strings.size());
		for (String s : strings) {
			byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
			packed.varint(utf8.length);
			packed.write(utf8, 0, utf8.length);
		}
		body.writeTo(packed);
		return packed.toByteArray();
	}

	static List<Lot> unpack(byte[] packed) {
		In in = new In(packed);
		int format = in.read();
		if (format != FORMAT) {
			throw new IllegalStateException("Unknown format " + format + " of an account's packed lots");
		}
		String[] strings = new String[in.count()];
		for (int i = 0; i < strings.length; i++) {
			strings[i] = in.utf8(in.count());
		}
		int count = in.count();
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
			Source source = (flags & SOURCE) != 0 ? new Source(Channel.valueOf(in.string(strings)), in.string(strings),
					in.string(strings), in.string(strings), in.string(strings)) : null;
			lots.add(new Lot(id, amount, remaining, reversed, (flags & PENDING) != 0, Instant.ofEpochMilli(earned),
					availableAt, expiresAt, source, in.string(strings), in.string(strings)));
		}
		if (in.position < packed.length) {
			throw new IllegalStateException("An account's packed lots end after " + in.position + " of " + packed.length
					+ " bytes");
		}
		return lots;
	}

	private static final class Out extends ByteArrayOutputStream {

		Out(int size) {
			super(size);
		}

		void varint(long value) {
			if (value < 0) {
				throw new IllegalArgumentException("A lot's counters are never negative: " + value);
			}
			unsigned(value);
		}

		void zigzag(long value) {
			unsigned((value << 1) ^ (value >> 63));
		}

		private void unsigned(long value) {
			while ((value & ~0x7FL) != 0) {
				write((int) ((value & 0x7F) | 0x80));
				value >>>= 7;
			}
			write((int) value);
		}

		void string(String value, Map<String, Integer> table, List<String> strings) {
			if (value == null) {
				write(0);
				return;
			}
			Integer index = table.get(value);
			if (index == null) {
				index = strings.size();
				table.put(value, index);
				strings.add(value);
			}
			unsigned(index + 1L);
		}

		void writeTo(Out other) {
			other.write(buf, 0, count);
		}
	}

	private static final class In {

		private final byte[] bytes;
		private int position;

		In(byte[] bytes) {
			this.bytes = bytes;
		}

		int read() {
			if (position >= bytes.length) {
				throw new IllegalStateException("An account's packed lots end early, at byte " + position);
			}
			return bytes[position++] & 0xFF;
		}

		long varint() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				int b = read();
				value |= (long) (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					return value;
				}
			}
			throw new IllegalStateException("A varint of an account's packed lots is longer than 64 bits");
		}

		long zigzag() {
			long raw = varint();
			return (raw >>> 1) ^ -(raw & 1);
		}

		int count() {
			long value = varint();
			if (value > bytes.length) {
				throw new IllegalStateException("A count of " + value + " in " + bytes.length + " bytes of packed lots");
			}
			return (int) value;
		}

		String utf8(int length) {
			if (length > bytes.length - position) {
				throw new IllegalStateException("A string of an account's packed lots runs past its end");
			}
			String s = new String(bytes, position, length, StandardCharsets.UTF_8);
			position += length;
			return s;
		}

		String string(String[] strings) {
			long ref = varint();
			if (ref == 0) {
				return null;
			}
			if (ref > strings.length) {
				throw new IllegalStateException("A string reference " + ref + " beyond the table of " + strings.length);
			}
			return strings[(int) ref - 1];
		}
	}
}
