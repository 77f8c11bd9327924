package io.fidelis.points.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.MovingPoints.Together;

/**
 * Where the API's earns, redemptions, adjustments and reversals come in. Those that arrive at the
 * same moment are applied together: whoever finds nobody gathering takes every request waiting,
 * one per member, and applies them with four store commands in all
 * ({@link MovingPoints#moveTogether}), while the next batch gathers (a group commit among request
 * threads). At most {@link #WRITING} batches are applied at once: while they are, requests wait in
 * the queue and the next batch takes them all, so batches grow with the load by themselves (had
 * every arrival taken the queue at once, a slow store would see batches of one, each costing as
 * much as a batch, and the rate would stay low). While requests arrive more often than once per
 * {@code fidelis.points.desk-linger} (3 ms), a batch also waits that long for its oldest request's
 * companions; one till alone never waits. A dry run and a transfer go the single way
 * ({@link MovingPoints#move}).
 *
 * <p>Each request hears what moving it alone would have told it: a batch takes only a request's
 * plain first attempt, and sends everything else back to go alone on its own thread (a retry or
 * copy of a key, a refusal to record on the key, an account busy or changed meanwhile). Two
 * requests for one member never share a batch (one write per account): the second goes back to
 * the front of the queue.
 */
@Service
public class MovementDesk {

	/** Requests per batch at most: two commands of this many documents each, a few milliseconds of store work. */
	static final int BATCH = 128;
	/** Batches applied at once: one written while the next decides (two cores; the store serves both). */
	static final int WRITING = 2;

	private final MovingPoints moving;
	private final WorkTraces traces;
	/**
	 * How long the oldest request of a batch may wait for others to join it, when requests arrive
	 * more often than once in this time (as a database delays a commit while others are active). A
	 * lone till, or a few, never wait: their requests come further apart. Zero: never wait.
	 */
	private final long lingerNanos;
	private final Deque<Waiting> queue = new ConcurrentLinkedDeque<>();
	private final ReentrantLock gathering = new ReentrantLock();
	private final java.util.concurrent.Semaphore writing = new java.util.concurrent.Semaphore(WRITING);
	private final LongAdder batches = new LongAdder();
	private final LongAdder together = new LongAdder();
	private final AtomicLong lastArrival = new AtomicLong();
	/** The mean time between two arrivals, recent ones weighing most. */
	private volatile long meanGap = Long.MAX_VALUE / 2;

	MovementDesk(MovingPoints moving, @Value("${fidelis.points.desk-linger:3ms}") Duration linger, WorkTraces traces) {
		this.moving = moving;
		this.traces = traces;
		if (linger.isNegative() || linger.compareTo(Duration.ofMillis(100)) > 0) {
			throw new IllegalArgumentException("fidelis.points.desk-linger is between 0 and 100ms, not " + linger);
		}
		this.lingerNanos = linger.toNanos();
	}

	/** As {@link MovingPoints#move}, taken with whatever else arrives at the same moment. */
	public Moved move(Caller caller, Movement movement, boolean dryRun) {
		return move(caller, movement, dryRun, false);
	}

	/**
	 * As {@link #move(Caller, Movement, boolean)}; {@code foundActive} when the caller has just read
	 * the member's status itself (a purchase identifies its member first), so it is not read again,
	 * in a batch or alone.
	 */
	Moved move(Caller caller, Movement movement, boolean dryRun, boolean foundActive) {
		if (dryRun || movement instanceof Movement.Transfer) {
			return moving.move(caller, movement, dryRun, foundActive);
		}
		MovingPoints.validate(movement); // bad input is told at once and never waits for others
		Waiting mine = new Waiting(caller, movement, traces.current(), foundActive);
		arrived(mine.arrived);
		queue.add(mine);
		while (!mine.taken) {
			List<Waiting> batch;
			gathering.lock();
			try {
				if (mine.taken) {
					break;
				}
				writing.acquireUninterruptibly(); // while batches are applied, the queue fills
				linger();
				batch = nextBatch();
			}
			catch (RuntimeException | Error e) {
				writing.release();
				throw e;
			}
			finally {
				gathering.unlock();
			}
			// outside the gathering, so that the next batch gathers while this one is written
			try {
				take(batch);
			}
			finally {
				writing.release();
			}
		}
		boolean interrupted = false;
		while (!mine.done) { // a batch takes a few milliseconds, and its answer must not be lost
			LockSupport.park(this);
			interrupted |= Thread.interrupted();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		// on its own thread, so that nobody else's answer waits for it
		return mine.moved != null ? mine.moved : moving.move(caller, movement, false, foundActive);
	}

	private void arrived(long now) {
		long gap = now - lastArrival.getAndSet(now);
		long mean = meanGap;
		meanGap = mean - mean / 8 + Math.max(0, gap) / 8;
	}

	/** While requests arrive more often than once per linger, lets the oldest wait up to that long for others. */
	private void linger() {
		Waiting oldest = queue.peek();
		if (oldest == null || meanGap >= lingerNanos || queue.size() >= BATCH) {
			return;
		}
		long left = oldest.arrived + lingerNanos - System.nanoTime();
		if (left > 0) {
			LockSupport.parkNanos(left);
		}
	}

	/** Up to {@link #BATCH} requests, one per member; a member's later requests go back to the front, in order. */
	private List<Waiting> nextBatch() {
		List<Waiting> batch = new ArrayList<>();
		List<Waiting> later = new ArrayList<>();
		Set<String> members = new HashSet<>();
		for (Waiting next; batch.size() < BATCH && (next = queue.poll()) != null;) {
			(members.add(next.movement.memberId()) ? batch : later).add(next);
		}
		batch.forEach(w -> w.taken = true);
		for (int i = later.size() - 1; i >= 0; i--) {
			queue.addFirst(later.get(i));
		}
		return batch;
	}

	private void take(List<Waiting> batch) {
		try {
			if (batch.isEmpty()) {
				return;
			}
			List<Together> answers = moving.moveTogether(batch.stream().map(w -> w.caller).toList(),
					batch.stream().map(w -> w.movement).toList(), batch.stream().map(w -> w.origin).toList(),
					batch.stream().map(w -> w.foundActive).toList());
			batches.increment();
			for (int i = 0; i < batch.size(); i++) {
				Together answer = answers.get(i);
				batch.get(i).moved = answer.moved();
				batch.get(i).failure = answer.failure();
				if (!answer.alone()) {
					together.increment();
				}
			}
		}
		catch (RuntimeException e) {
			// moveTogether tells each request the failure of a write that may have applied it; this is the
			// store gone before any write (or a defect): nothing of theirs is written, and each hears it at
			// once rather than meeting the store's time-out a second time alone
			batch.forEach(w -> w.failure = e);
		}
		finally {
			for (Waiting w : batch) {
				w.done = true;
				LockSupport.unpark(w.thread);
			}
		}
	}

	/** How much the desk gathers since start (for figures and tests). */
	public Figures figures() {
		return new Figures(batches.sum(), together.sum());
	}

	/** @param together requests answered in a batch (not sent back to go alone) */
	public record Figures(long batches, long together) {
	}

	/** A request waiting for its turn, and how it went. */
	private static final class Waiting {
		final Caller caller;
		final Movement movement;
		/** The request's trace (tracing on), which settling its change joins. */
		final Object origin;
		/** Its caller has just read the member's status itself (a purchase). */
		final boolean foundActive;
		final long arrived = System.nanoTime();
		final Thread thread = Thread.currentThread();
		/** In a batch (set while gathering, under its lock). */
		volatile boolean taken;
		volatile boolean done;
		volatile Moved moved;
		volatile RuntimeException failure;

		Waiting(Caller caller, Movement movement, Object origin, boolean foundActive) {
			this.caller = caller;
			this.movement = movement;
			this.origin = origin;
			this.foundActive = foundActive;
		}
	}
}
