package io.fidelis.members.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.application.EnrollingMembers.Outcome;

/**
 * Where enrollments from apps, tills and back offices come in. Enrollments that arrive at the
 * same moment are stored together: whoever finds no enrollment in progress takes everything
 * waiting and enrolls it as one batch ({@link EnrollingMembers#enrollAll}: one insert of claims,
 * one of members, one event for every listener), while the others wait for it (a group commit).
 * One caller alone goes the single way, as before.
 *
 * <p>A batch answers each request exactly as enrolling it alone would (a property test holds
 * {@code enrollAll} to that). When a batch fails as a whole (the store away, a transaction
 * aborted), nobody is told its failure: each request is enrolled again alone, on its own
 * thread, and meets its own outcome; a claim the failed batch left behind is the request's own
 * (same key, same fingerprint), which the single way resumes.
 */
@Service
public class EnrollmentDesk {

	/** Enrollments per batch at most: about 60 ms of work at 64 callers, and 5 claims each. */
	static final int BATCH = 100;

	private final EnrollingMembers enrolling;
	private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
	private final ReentrantLock enrollingNow = new ReentrantLock();

	EnrollmentDesk(EnrollingMembers enrolling) {
		this.enrolling = enrolling;
	}

	/** Enrolls, returning once the member is stored and announced (or the request refused). */
	public Outcome enroll(Caller caller, EnrollMember request) {
		Waiting mine = new Waiting(new EnrollingMembers.Request(caller, request));
		queue.add(mine);
		enrollingNow.lock();
		try {
			// first in, first out: the batches taken before this request's turn hold older requests
			while (!mine.done) {
				List<Waiting> batch = new ArrayList<>();
				for (Waiting next; batch.size() < BATCH && (next = queue.poll()) != null;) {
					batch.add(next);
				}
				try {
					take(batch);
				}
				finally {
					for (Waiting w : batch) {
						if (!w.done) { // an error, not an exception: nobody may wait for ever
							w.failure = new IllegalStateException("The enrollments taken together failed");
							w.done = true;
						}
					}
				}
			}
		}
		finally {
			enrollingNow.unlock();
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		// outside the lock, so that the others' turns do not wait for it
		return mine.outcome != null ? mine.outcome : enrolling.enroll(caller, request);
	}

	private void take(List<Waiting> batch) {
		if (batch.size() == 1) {
			Waiting alone = batch.get(0);
			try {
				alone.outcome = enrolling.enroll(alone.request.caller(), alone.request.details());
			}
			catch (RuntimeException e) {
				alone.failure = e;
			}
			alone.done = true;
			return;
		}
		List<Outcome> outcomes = null;
		try {
			outcomes = enrolling.enrollAll(batch.stream().map(w -> w.request).toList());
		}
		catch (RuntimeException e) {
			// each goes alone: one request's trouble must not become the others' answer
		}
		for (int i = 0; i < batch.size(); i++) {
			Waiting w = batch.get(i);
			w.outcome = outcomes == null ? null : outcomes.get(i);
			w.done = true;
		}
	}

	/** How many requests wait for their turn (for tests). */
	int waiting() {
		return queue.size();
	}

	/** A request waiting for its turn, and how it went. */
	private static final class Waiting {
		final EnrollingMembers.Request request;
		volatile boolean done;
		volatile Outcome outcome;
		volatile RuntimeException failure;

		Waiting(EnrollingMembers.Request request) {
			this.request = request;
		}
	}
}
