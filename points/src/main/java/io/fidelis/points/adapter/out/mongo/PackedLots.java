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
		Map<String, Integer> table = new HashMap<>();
		List<String> strings = new ArrayList<>();
		PackedBytes.Out body = new PackedBytes.Out(lots.size() * 24 + 8);
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
		PackedBytes.Out packed = new PackedBytes.Out(body.size() + strings.size() * 16 + 8);
		packed.write(FORMAT);
		packed.varint(strings.size());
		strings.forEach(packed::inline);
		body.writeTo(packed);
		return packed.toByteArray();
	}

	static List<Lot> unpack(byte[] packed) {
		PackedBytes.In in = new PackedBytes.In(packed);
		int format = in.read();
		if (format != FORMAT) {
			throw new IllegalStateException("Unknown format " + format + " of an account's packed lots");
		}
		String[] strings = new String[in.count()];
		for (int i = 0; i < strings.length; i++) {
			strings[i] = in.inline();
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
		in.requireEnd();
		return lots;
	}
}
