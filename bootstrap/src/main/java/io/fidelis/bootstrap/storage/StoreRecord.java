package io.fidelis.bootstrap.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One change to the embedded store as it is written to the log and to checkpoints: the image of
 * a document after the change (never the command that made it, because replaying a command with
 * server-made values such as generated ids or timestamps would not give the same result), the
 * removal of a document by its key, or the drop or rename of a collection.
 *
 * <p>On disk a record is framed as {@code [int length][int CRC32C][body]}, so a torn tail after
 * a crash is recognised and cut off.
 *
 * @param key      the document's key (its id field, wrapped as {@code {k: id}}) as BSON
 * @param document the whole document after the change, as BSON
 * @param size     bytes the record took on disk, frame included
 */
record StoreRecord(byte type, String database, String collection, byte[] key, byte[] document, String toDatabase,
		String toCollection, int size) {

	static final byte PUT = 1;
	static final byte DELETE = 2;
	static final byte DROP = 3;
	static final byte RENAME = 4;
	/** Last record of a checkpoint: a checkpoint without it was not finished. */
	static final byte END = 9;

	static final int HEADER = 8;
	/** Larger than any document the server accepts (16 MB) with its names. */
	private static final int MAX_BODY = 64 << 20;

	/**
	 * The key the log knows a document by: its id field, or for a collection without one (the
	 * index descriptions, {@code system.indexes}) the namespace and name it describes.
	 */
	static Object keyOf(String idField, Document document) {
		if (idField != null) {
			return document.get(idField);
		}
		return new Document("ns", document.get("ns")).append("name", document.get("name"));
	}

	/** A document's key as the log writes it: {@code {k: id}} as BSON. */
	static byte[] key(Object id) {
		return bson(new Document("k", id));
	}

	/** @param key the document's {@link #key}; {@code document} its BSON */
	static byte[] put(String database, String collection, byte[] key, byte[] document) {
		return frame(PUT, database, collection, key, document, null, null);
	}

	/** As {@link #put}, unframed: the log frames it straight into its buffer. */
	static Unframed putUnframed(String database, String collection, byte[] key, byte[] document) {
		return unframed(PUT, database, collection, key, document, null, null);
	}

	/**
	 * A record's parts before framing. A change's document was first copied into a framed record
	 * of its own, then that record into the log's buffer: under earns the frames were a fifteenth
	 * of all the node allocated (an account's packed lots are tens of kilobytes). Framed by
	 * {@link #writeTo}, the document is copied once.
	 */
	record Unframed(byte type, byte[][] parts) {

		int size() {
			int body = 1 + 4 * parts.length;
			for (byte[] part : parts) {
				body += length(part);
			}
			return HEADER + body;
		}

		/** Writes the framed record, {@link #size()} bytes, into {@code into} at {@code at}. */
		void writeTo(byte[] into, int at) {
			int body = size() - HEADER;
			ByteBuffer out = ByteBuffer.wrap(into, at, HEADER + body);
			out.putInt(body).putInt(0).put(type);
			for (byte[] part : parts) {
				out.putInt(part == null ? -1 : part.length);
				if (part != null) {
					out.put(part);
				}
			}
			CRC32C crc = new CRC32C();
			crc.update(into, at + HEADER, body);
			ByteBuffer.wrap(into, at + 4, 4).putInt((int) crc.getValue());
		}
	}

	/** @param key the document's {@link #key} */
	static byte[] delete(String database, String collection, byte[] key) {
		return frame(DELETE, database, collection, key, null, null, null);
	}

	static byte[] drop(String database, String collection) {
		return frame(DROP, database, collection, null, null, null, null);
	}

	static byte[] rename(String database, String collection, String toDatabase, String toCollection) {
		return frame(RENAME, database, collection, null, null, toDatabase, toCollection);
	}

	static byte[] end() {
		return frame(END, "", "", null, null, null, null);
	}

	static Document decode(byte[] bson) {
		return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
	}

	/** The key as a value with equality by content, for the image rebuilt at start-up. */
	Key documentKey() {
		return new Key(key);
	}

	record Key(byte[] bytes) {
		@Override
		public boolean equals(Object other) {
			return other instanceof Key k && Arrays.equals(bytes, k.bytes);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(bytes);
		}
	}

	static byte[] bson(Document document) {
		ByteBuf buffer = ENCODING.get();
		buffer.clear();
		try {
			BsonEncoder.encodeDocument(document, buffer);
			byte[] bytes = new byte[buffer.readableBytes()];
			buffer.readBytes(bytes);
			return bytes;
		}
		finally {
			if (buffer.capacity() > LARGEST_KEPT) { // a rare huge document: its buffer is not kept
				ENCODING.remove();
			}
		}
	}

	/**
	 * A buffer per thread to encode into: a new one per document grew from 256 bytes by doubling,
	 * copying an account's packed lots several times (1.8 % of an earn's CPU).
	 */
	private static final ThreadLocal<ByteBuf> ENCODING = ThreadLocal.withInitial(() -> Unpooled.buffer(16 * 1024));

	private static final int LARGEST_KEPT = 1024 * 1024;

	private static byte[] frame(byte type, String database, String collection, byte[] key, byte[] document,
			String toDatabase, String toCollection) {
		Unframed record = unframed(type, database, collection, key, document, toDatabase, toCollection);
		byte[] bytes = new byte[record.size()];
		record.writeTo(bytes, 0);
		return bytes;
	}

	private static Unframed unframed(byte type, String database, String collection, byte[] key, byte[] document,
			String toDatabase, String toCollection) {
		return new Unframed(type, new byte[][] { database.getBytes(StandardCharsets.UTF_8),
				collection.getBytes(StandardCharsets.UTF_8), key, document,
				toDatabase == null ? new byte[0] : toDatabase.getBytes(StandardCharsets.UTF_8),
				toCollection == null ? new byte[0] : toCollection.getBytes(StandardCharsets.UTF_8) });
	}

	private static int length(byte[] part) {
		return part == null ? 0 : part.length;
	}

	/**
	 * Reads the next record, or answers null at the end of the stream or when what is left is not
	 * a whole, intact record (the torn tail of a log).
	 */
	static StoreRecord read(java.io.DataInputStream in) throws java.io.IOException {
		int body;
		int checksum;
		try {
			body = in.readInt();
			checksum = in.readInt();
		}
		catch (java.io.EOFException end) {
			return null;
		}
		if (body <= 0 || body > MAX_BODY) {
			return null;
		}
		byte[] bytes = new byte[body];
		try {
			in.readFully(bytes);
		}
		catch (java.io.EOFException torn) {
			return null;
		}
		CRC32C crc = new CRC32C();
		crc.update(bytes, 0, body);
		if ((int) crc.getValue() != checksum) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		byte type = buffer.get();
		return new StoreRecord(type, string(buffer), string(buffer), bytes(buffer), bytes(buffer), string(buffer),
				string(buffer), HEADER + body);
	}

	private static byte[] bytes(ByteBuffer in) {
		int length = in.getInt();
		if (length < 0) {
			return null;
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return bytes;
	}

	private static String string(ByteBuffer in) {
		byte[] bytes = bytes(in);
		return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
	}
}
