package io.fidelis.points.application;

import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.MovingPoints.Together;

/**
 * Where the API's earns, redemptions, adjustments and reversals come in. Those that arrive at the
 * same moment are applied together: whoever finds no batch in progress takes every request
 * waiting, one per member, and applies them with four store commands in all
 * ({@link MovingPoints#moveTogether}) while the others wait for it (a group commit among request
 * threads, as {@code EnrollmentDesk} does for enrollments). One caller alone, a dry run and a
 * transfer go the single way ({@link MovingPoints#move}), so a lone till waits no longer than before.
 *
 * <p>Each request hears what moving it alone would have told it: a batch takes only a request's
 * plain first attempt, and sends everything else back to go alone on its own thread (a retry or
 * copy of a key, a refusal to record on the key, an account busy or changed meanwhile). Two
 * requests for one member never share a batch: the second waits at the front of the queue for the
 * next one, so that a member's requests keep their order of arrival.
 */
@Service
public class MovementDesk {

	/** Requests per batch at most: two commands of this many documents each, a few milliseconds of store work. */
	static final int BATCH = 128;

	private final MovingPoints moving;
	private final Deque<Waiting> queue = new ConcurrentLinkedDeque<>();
	private final ReentrantLock movingNow = new ReentrantLock();
	private final LongAdder batches = new LongAdder();
	private final LongAdder together = new LongAdder();

	MovementDesk(MovingPoints moving) {
		this.moving = moving;
	}

	/** As {@link MovingPoints#move}, taken with whatever else arrives at the same moment. */
	public Moved move(Caller caller, Movement movement, boolean dryRun) {
		if (dryRun || movement instanceof Movement.Transfer) {
			return moving.move(caller, movement, dryRun);
		}
		MovingPoints.validate(movement); // bad input is told at once and never waits for others
		Waiting mine = new Waiting(caller, movement);
		queue.add(mine);
		movingNow.lock();
		try {
			// first in, first out: the batches taken before this request's turn hold older requests
			while (!mine.done) {
				take(nextBatch());
			}
		}
		finally {
			movingNow.unlock();
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		// outside the desk, so that the others' batches do not wait for it
		return mine.moved != null ? mine.moved : moving.move(caller, movement, false);
	}

	/** Up to {@link #BATCH} requests, one per member; a member's later requests go back to the front, in order. */
	private List<Waiting> nextBatch() {
		List<Waiting> batch = new ArrayList<>();
		List<Waiting> later = new ArrayList<>();
		Set<String> members = new HashSet<>();
		for (Waiting next; batch.size() < BATCH && (next = queue.poll()) != null;) {
			(members.add(next.movement.memberId()) ? batch : later).add(next);
		}
		for (int i = later.size() - 1; i >= 0; i--) {
			queue.addFirst(later.get(i));
		}
		return batch;
	}

	private void take(List<Waiting> batch) {
		if (batch.size() < 2) {
			batch.forEach(alone -> alone.done = true); // goes the single way on its own thread
			return;
		}
		try {
			List<Together> answers = moving.moveTogether(batch.stream().map(w -> w.caller).toList(),
					batch.stream().map(w -> w.movement).toList());
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
			// moveTogether tells each request its own failure; this is a defect or the store gone before any
			// write: each goes alone and meets its own outcome
		}
		finally {
			batch.forEach(w -> w.done = true);
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
		volatile boolean done;
		volatile Moved moved;
		volatile RuntimeException failure;

		Waiting(Caller caller, Movement movement) {
			this.caller = caller;
			this.movement = movement;
		}
	}
}
