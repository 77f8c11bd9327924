package io.fidelis.points.adapter.out.mongo;

import java.math.BigDecimal;
import java.time.Instant;

import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Source;
import io.fidelis.points.domain.Spend;

/**
 * A settled ledger entry as one binary value in its history bucket. A bucket holds up to
 * {@value MongoAccountStore#BUCKET} entries, and every settled batch that adds to it rewrites it:
 * as subdocuments of fourteen values each, the store copied and compared about 900 values per
 * write, the largest item of an earn's store time once the lots were packed.
 *
 * <p>Format 1: the format byte; varint {@code sequence}; the type's name; zigzag varints
 * {@code availableDelta, pendingDelta}, {@code at} in epoch milliseconds, {@code availableAfter,
 * pendingAfter}; a flags byte ({@link #SOURCE}, {@link #SPEND}); the source's channel, region,
 * store, partner and reference when it has one; the transaction, reason, request and counterpart;
 * the spend's amount and currency when it has one. Strings stand inline (0 for none, else UTF-8
 * length + 1, then the bytes). Instants keep milliseconds, as a BSON date does.
 */
final class PackedEntry {

	static final byte FORMAT = 1;
	private static final int SOURCE = 1;
	private static final int SPEND = 2;

	private PackedEntry() {
	}

	static byte[] pack(Entry e) {
		PackedBytes.Out out = new PackedBytes.Out(64);
		out.write(FORMAT);
		out.varint(e.sequence());
		out.inline(e.type().name());
		out.zigzag(e.availableDelta());
		out.zigzag(e.pendingDelta());
		out.zigzag(e.at().toEpochMilli());
		out.zigzag(e.availableAfter());
		out.zigzag(e.pendingAfter());
		out.write((e.source() != null ? SOURCE : 0) | (e.spend() != null ? SPEND : 0));
		if (e.source() != null) {
			out.inline(e.source().channel().name());
			out.inline(e.source().region());
			out.inline(e.source().store());
			out.inline(e.source().partner());
			out.inline(e.source().externalReference());
		}
		out.inline(e.transaction());
		out.inline(e.reason());
		out.inline(e.request());
		out.inline(e.counterpart());
		if (e.spend() != null) {
			out.inline(e.spend().amount().toPlainString());
			out.inline(e.spend().currency());
		}
		return out.toByteArray();
	}

	static Entry unpack(byte[] packed) {
		PackedBytes.In in = new PackedBytes.In(packed);
		int format = in.read();
		if (format != FORMAT) {
			throw new IllegalStateException("Unknown format " + format + " of a packed ledger entry");
		}
		long sequence = in.varint();
		EntryType type = EntryType.valueOf(in.inline());
		long availableDelta = in.zigzag();
		long pendingDelta = in.zigzag();
		Instant at = Instant.ofEpochMilli(in.zigzag());
		long availableAfter = in.zigzag();
		long pendingAfter = in.zigzag();
		int flags = in.read();
		Source source = (flags & SOURCE) != 0
				? new Source(Channel.valueOf(in.inline()), in.inline(), in.inline(), in.inline(), in.inline())
				: null;
		String transaction = in.inline();
		String reason = in.inline();
		String request = in.inline();
		String counterpart = in.inline();
		Spend spend = (flags & SPEND) != 0 ? new Spend(new BigDecimal(in.inline()), in.inline()) : null;
		in.requireEnd();
		return new Entry(sequence, type, availableDelta, pendingDelta, at, transaction, source, reason, request,
				counterpart, availableAfter, pendingAfter, spend);
	}
}
