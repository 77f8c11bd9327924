package io.fidelis.points.adapter.out.mongo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Varints, zigzag varints and strings, for the compact binary values the ledger stores where a
 * document would hold many small values that the store copies and compares on every write
 * ({@link PackedLots}, {@link PackedEntry}). Reading refuses bytes that end early or run past
 * what they declare, rather than misreading them.
 */
final class PackedBytes {

	private PackedBytes() {
	}

	static final class Out extends ByteArrayOutputStream {

		Out(int size) {
			super(size);
		}

		void varint(long value) {
			if (value < 0) {
				throw new IllegalArgumentException("Packed counters are never negative: " + value);
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

		/** A string written where it stands: 0 for null, else its UTF-8 length + 1, then the bytes. */
		void inline(String value) {
			if (value == null) {
				write(0);
				return;
			}
			byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
			unsigned(utf8.length + 1L);
			write(utf8, 0, utf8.length);
		}

		void writeTo(Out other) {
			other.write(buf, 0, count);
		}
	}

	static final class In {

		private final byte[] bytes;
		private int position;

		In(byte[] bytes) {
			this.bytes = bytes;
		}

		int read() {
			if (position >= bytes.length) {
				throw new IllegalStateException("Packed bytes end early, at byte " + position);
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
			throw new IllegalStateException("A varint of packed bytes is longer than 64 bits");
		}

		long zigzag() {
			long raw = varint();
			return (raw >>> 1) ^ -(raw & 1);
		}

		int count() {
			long value = varint();
			if (value > bytes.length) {
				throw new IllegalStateException("A count of " + value + " in " + bytes.length + " packed bytes");
			}
			return (int) value;
		}

		String inline() {
			long length = varint();
			return length == 0 ? null : utf8(Math.toIntExact(Math.min(length - 1, Integer.MAX_VALUE)));
		}

		void requireEnd() {
			if (position < bytes.length) {
				throw new IllegalStateException("Packed bytes end after " + position + " of " + bytes.length + " bytes");
			}
		}

		private String utf8(int length) {
			if (length > bytes.length - position) {
				throw new IllegalStateException("A string of packed bytes runs past its end");
			}
			String s = new String(bytes, position, length, StandardCharsets.UTF_8);
			position += length;
			return s;
		}

		String string(String[] strings) {
			int at = reference(strings.length);
			return at < 0 ? null : strings[at];
		}

		/** A reference into a table of {@code size} strings: its index, or -1 for none. */
		int reference(int size) {
			long ref = varint();
			if (ref > size) {
				throw new IllegalStateException("A string reference " + ref + " beyond the table of " + size);
			}
			return (int) ref - 1;
		}

		int position() {
			return position;
		}
	}
}
