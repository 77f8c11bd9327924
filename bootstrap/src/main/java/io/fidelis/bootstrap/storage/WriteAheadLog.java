package io.fidelis.bootstrap.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's log: every change is appended here before its command answers, and one
 * flusher thread writes what has gathered and syncs it to disk (fdatasync), so that all writers
 * waiting at the same moment share one sync (group commit). The log is cut into numbered
 * segments; a checkpoint asks for a new segment and afterwards deletes the older ones.
 *
 * <p>When the disk refuses a write or a sync, the log stops for good and every later command is
 * refused: what is in memory can no longer be made durable, so it must never be acknowledged.
 */
final class WriteAheadLog implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
	/** How a refusal after a failed write or sync begins. */
	static final String FAILED = "The embedded store cannot write its log any more";

	private final StoreFiles files;
	private final ReentrantLock lock = new ReentrantLock();
	private final Condition work = lock.newCondition();
	/** The thread that writes and syncs; a test interrupts it to make the disk fail. */
	final Thread flusher;

	// guarded by lock
	private byte[] pending = new byte[1 << 16];
	private byte[] spare = new byte[1 << 16];
	private int pendingSize;
	private long appended;
	private boolean flusherWaiting;
	private boolean closing;
	private CompletableFuture<Long> rotation;

	private volatile long durable;
	/** The last sequence appended, readable without the lock. */
	private volatile long appendedSoFar;
	/**
	 * Writers waiting for a sync, each woken only once its record is durable: waking every waiter
	 * on every sync cost more than the syncs themselves with 64 writers on two cores.
	 */
	private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	/** A writer parked until its record is durable ({@code thread}), or a reply held until then ({@code then}). */
	private record Waiter(long sequence, Thread thread, Runnable then) {
		void wake() {
			if (thread != null) {
				LockSupport.unpark(thread);
			}
			else {
				then.run();
			}
		}
	}
	private volatile IOException failure;

	// owned by the flusher
	private FileChannel channel;
	private long segment;
	private final AtomicLong segmentBytes = new AtomicLong();

	// figures
	private final AtomicLong records = new AtomicLong();
	private final AtomicLong syncs = new AtomicLong();
	private final AtomicLong syncNanos = new AtomicLong();
	private final AtomicLong bytesWritten = new AtomicLong();

	WriteAheadLog(StoreFiles files, long firstSegment) {
		this.files = files;
		this.segment = firstSegment;
		try {
			this.channel = files.createSegment(firstSegment);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot create the store's log in " + files.dir(), e);
		}
		this.flusher = new Thread(this::flushForever, "fidelis-store-log");
		this.flusher.setDaemon(true);
		this.flusher.start();
	}

	/** Adds a framed record; answers its sequence number. Cheap: the flusher writes it. */
	long append(byte[] record) {
		return append(record.length, (into, at) -> System.arraycopy(record, 0, into, at, record.length));
	}

	/** Adds a record framed straight into the log's buffer. */
	long append(StoreRecord.Unframed record) {
		return append(record.size(), record::writeTo);
	}

	private interface Writing {
		void writeTo(byte[] into, int at);
	}

	private long append(int length, Writing record) {
		lock.lock();
		try {
			refuseIfFailed();
			if (closing) {
				throw new IllegalStateException("The store's log is closed");
			}
			if (pendingSize + length > pending.length) {
				byte[] grown = new byte[Math.max(pending.length * 2, pendingSize + length)];
				System.arraycopy(pending, 0, grown, 0, pendingSize);
				pending = grown;
			}
			record.writeTo(pending, pendingSize);
			pendingSize += length;
			records.incrementAndGet();
			if (flusherWaiting) {
				work.signal();
			}
			appendedSoFar = ++appended;
			return appended;
		}
		finally {
			lock.unlock();
		}
	}

	/** The sequence number of the last record appended so far. */
	long appended() {
		return appendedSoFar;
	}

	/** The sequence number of the last record synced to disk. */
	long durable() {
		return durable;
	}

	/** Returns once every record up to {@code sequence} is on disk; throws if it never will be. */
	void awaitDurable(long sequence) {
		if (durable >= sequence) {
			refuseIfFailed();
			return;
		}
		Waiter waiter = new Waiter(sequence, Thread.currentThread(), null);
		waiters.add(waiter);
		// checked after joining the queue, so a sync that lands in between is never missed
		while (durable < sequence && failure == null) {
			LockSupport.park(this);
		}
		waiters.remove(waiter); // usually gone already: the flusher takes out whom it wakes
		refuseIfFailed();
	}

	/**
	 * Runs {@code then} once every record up to {@code sequence} is on disk, or once the log has
	 * failed (then {@link #refuseIfFailed} tells); on the flusher's thread, so it must be short.
	 * Answers false without registering anything when that is so already.
	 */
	boolean whenDurable(long sequence, Runnable then) {
		if (durable >= sequence || failure != null) {
			return false;
		}
		Waiter waiter = new Waiter(sequence, null, then);
		waiters.add(waiter);
		// checked after joining the queue, so a sync that lands in between is never missed
		if ((durable >= sequence || failure != null) && waiters.remove(waiter)) {
			return false;
		}
		return true;
	}

	boolean failed() {
		return failure != null;
	}

	/** Fails with the disk's error once the log could not write or sync. */
	void refuseIfFailed() {
		IOException e = failure;
		if (e != null) {
			throw new UncheckedIOException(FAILED + "; restart Fidelis "
					+ "once the disk is fixed (what was acknowledged is safe)", e);
		}
	}

	/**
	 * Closes the current segment once what was appended so far is durable, and opens the next one.
	 * Answers the number of the new segment: every change appended after the answer lands in it or
	 * a later one.
	 */
	CompletableFuture<Long> startNewSegment() {
		lock.lock();
		try {
			refuseIfFailed();
			if (rotation == null) {
				rotation = new CompletableFuture<>();
				work.signal();
			}
			return rotation;
		}
		finally {
			lock.unlock();
		}
	}

	long segmentBytes() {
		return segmentBytes.get();
	}

	long records() {
		return records.get();
	}

	long syncs() {
		return syncs.get();
	}

	double syncSeconds() {
		return syncNanos.get() / 1e9;
	}

	long bytesWritten() {
		return bytesWritten.get();
	}

	private void flushForever() {
		while (true) {
			byte[] batch;
			int size;
			long upTo;
			CompletableFuture<Long> rotate;
			lock.lock();
			try {
				while (pendingSize == 0 && rotation == null && !closing) {
					flusherWaiting = true;
					work.awaitUninterruptibly();
					flusherWaiting = false;
				}
				if (pendingSize == 0 && rotation == null && closing) {
					return;
				}
				batch = pending;
				size = pendingSize;
				pending = spare;
				pendingSize = 0;
				upTo = appended;
				rotate = rotation;
				rotation = null;
			}
			finally {
				lock.unlock();
			}
			try {
				if (size > 0) {
					ByteBuffer out = ByteBuffer.wrap(batch, 0, size);
					while (out.hasRemaining()) {
						channel.write(out);
					}
					long start = System.nanoTime();
					channel.force(false);
					syncNanos.addAndGet(System.nanoTime() - start);
					syncs.incrementAndGet();
					bytesWritten.addAndGet(size);
					segmentBytes.addAndGet(size);
				}
				if (rotate != null) {
					FileChannel next = files.createSegment(segment + 1);
					channel.close();
					channel = next;
					segment++;
					segmentBytes.set(0);
				}
			}
			catch (IOException e) {
				log.error("The embedded store could not write its log; it refuses every command from now on", e);
				failure = e;
				waiters.forEach(Waiter::wake);
				if (rotate != null) {
					rotate.completeExceptionally(e);
				}
				return;
			}
			lock.lock();
			try {
				if (batch.length <= 1 << 22) {
					spare = batch; // keep a reasonable buffer for the next swap, let a huge one go
				}
				else {
					spare = new byte[1 << 16];
				}
			}
			finally {
				lock.unlock();
			}
			durable = upTo;
			for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
				Waiter waiter = it.next();
				if (waiter.sequence() <= upTo) {
					it.remove();
					waiter.wake();
				}
			}
			if (rotate != null) {
				rotate.complete(segment);
			}
		}
	}

	/** Writes and syncs what is pending, then stops. */
	@Override
	public void close() {
		lock.lock();
		try {
			closing = true;
			work.signal();
		}
		finally {
			lock.unlock();
		}
		try {
			flusher.join(TimeUnit.SECONDS.toMillis(30));
			channel.close();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (IOException e) {
			log.warn("Closing the store's log: {}", e.toString());
		}
	}
}
