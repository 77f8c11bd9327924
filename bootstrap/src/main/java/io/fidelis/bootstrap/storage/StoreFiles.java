package io.fidelis.bootstrap.storage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's files in its data directory: log segments {@code log-N.wal} and
 * checkpoints {@code checkpoint-N.snapshot}. Checkpoint N holds the data as it was when segment N
 * began (or later), so the store is checkpoint N with segments N, N+1, ... replayed on top.
 */
final class StoreFiles {

	private static final Logger log = LoggerFactory.getLogger(StoreFiles.class);

	private static final byte[] SEGMENT_MAGIC = "FIDLOG01".getBytes(StandardCharsets.US_ASCII);
	private static final byte[] CHECKPOINT_MAGIC = "FIDCKP01".getBytes(StandardCharsets.US_ASCII);
	private static final Pattern SEGMENT = Pattern.compile("log-(\\d{16})\\.wal");
	private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{16})\\.snapshot");

	private final Path dir;

	StoreFiles(Path dir) throws IOException {
		this.dir = dir;
		Files.createDirectories(dir);
		try (Stream<Path> leftovers = Files.list(dir)) {
			for (Path tmp : leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
				Files.delete(tmp); // a checkpoint that a crash interrupted
			}
		}
	}

	Path dir() {
		return dir;
	}

	TreeMap<Long, Path> segments() throws IOException {
		return numbered(SEGMENT);
	}

	TreeMap<Long, Path> checkpoints() throws IOException {
		return numbered(CHECKPOINT);
	}

	boolean isEmpty() throws IOException {
		return segments().isEmpty() && checkpoints().isEmpty();
	}

	FileChannel createSegment(long number) throws IOException {
		Path path = dir.resolve(String.format("log-%016d.wal", number));
		FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		channel.write(ByteBuffer.wrap(SEGMENT_MAGIC));
		channel.force(true);
		syncDirectory();
		return channel;
	}

	/**
	 * Hands every intact record of a segment to {@code each}. A torn or corrupt tail is cut off
	 * when the segment is the last one (a crash in the middle of a write); in an earlier segment it
	 * means the files were damaged, and the store refuses to start rather than lose data quietly.
	 *
	 * @return bytes of records read
	 */
	long readSegment(Path segment, boolean last, Consumer<StoreRecord> each) throws IOException {
		long good = SEGMENT_MAGIC.length;
		long size = Files.size(segment);
		try (DataInputStream in = open(segment, SEGMENT_MAGIC)) {
			StoreRecord record;
			while ((record = StoreRecord.read(in)) != null) {
				each.accept(record);
				good += record.size();
			}
		}
		if (good < size) {
			if (!last) {
				throw new IOException("The store's log " + segment + " is damaged at byte " + good + " of " + size
						+ ", and later segments follow it; refusing to start");
			}
			log.warn("Cutting the torn tail of {} at byte {} ({} bytes were never acknowledged)", segment, good,
					size - good);
			try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
				channel.truncate(good);
				channel.force(true);
			}
		}
		return good - SEGMENT_MAGIC.length;
	}

	/** Reads a finished checkpoint; answers false (reading nothing further) if it was not finished. */
	boolean readCheckpoint(Path checkpoint, Consumer<StoreRecord> each) throws IOException {
		try (DataInputStream in = open(checkpoint, CHECKPOINT_MAGIC)) {
			StoreRecord record;
			while ((record = StoreRecord.read(in)) != null) {
				if (record.type() == StoreRecord.END) {
					return true;
				}
				each.accept(record);
			}
		}
		return false;
	}

	/** Starts writing checkpoint N under a temporary name; {@link CheckpointWriter#publish} makes it count. */
	CheckpointWriter createCheckpoint(long number) throws IOException {
		FileChannel channel = FileChannel.open(temporary(number), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING);
		channel.write(ByteBuffer.wrap(CHECKPOINT_MAGIC));
		return new CheckpointWriter(number, channel);
	}

	/**
	 * A checkpoint being written: documents are gathered in a buffer, written with {@link #flush}
	 * (outside any collection lock), and {@link #publish} ends it, syncs it, makes it the one to
	 * start from and deletes the log and checkpoints it replaces.
	 */
	final class CheckpointWriter implements AutoCloseable {

		private final long number;
		private final FileChannel channel;
		private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
		private long documents;

		private CheckpointWriter(long number, FileChannel channel) {
			this.number = number;
			this.channel = channel;
		}

		/** @param key the document's key as the log writes it; {@code document} its BSON */
		void put(String database, String collection, byte[] key, byte[] document) {
			buffer.writeBytes(StoreRecord.put(database, collection, key, document));
			documents++;
		}

		void flush() throws IOException {
			ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			buffer.reset();
		}

		long documents() {
			return documents;
		}

		/** Answers the checkpoint's size in bytes. */
		long publish() throws IOException {
			buffer.writeBytes(StoreRecord.end());
			flush();
			channel.force(true);
			long size = channel.size();
			channel.close();
			Files.move(temporary(number), dir.resolve(String.format("checkpoint-%016d.snapshot", number)),
					StandardCopyOption.ATOMIC_MOVE);
			syncDirectory();
			for (Path older : segments().headMap(number).values()) {
				Files.deleteIfExists(older);
			}
			for (Path older : checkpoints().headMap(number).values()) {
				Files.deleteIfExists(older);
			}
			return size;
		}

		/** Without {@link #publish}, the temporary file is left for the next start to delete. */
		@Override
		public void close() throws IOException {
			if (channel.isOpen()) {
				channel.close();
			}
		}
	}

	long bytesOnDisk() throws IOException {
		try (Stream<Path> all = Files.list(dir)) {
			return all.mapToLong(p -> p.toFile().length()).sum();
		}
	}

	private Path temporary(long number) {
		return dir.resolve(String.format("checkpoint-%016d.snapshot.tmp", number));
	}

	private TreeMap<Long, Path> numbered(Pattern pattern) throws IOException {
		TreeMap<Long, Path> found = new TreeMap<>();
		try (Stream<Path> all = Files.list(dir)) {
			for (Path p : all.toList()) {
				Matcher m = pattern.matcher(p.getFileName().toString());
				if (m.matches()) {
					found.put(Long.parseLong(m.group(1)), p);
				}
			}
		}
		return found;
	}

	private static DataInputStream open(Path file, byte[] magic) throws IOException {
		InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
		byte[] head = raw.readNBytes(magic.length);
		if (!Arrays.equals(head, magic)) {
			raw.close();
			throw new IOException(file + " is not a Fidelis store file (or was written by another version)");
		}
		return new DataInputStream(raw);
	}

	/** Makes a created, renamed or deleted file's name durable too. */
	void syncDirectory() throws IOException {
		try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
			d.force(true);
		}
		catch (IOException e) {
			// some file systems cannot open a directory for syncing; the data itself is synced
			log.debug("Cannot sync directory {}: {}", dir, e.toString());
		}
	}
}
