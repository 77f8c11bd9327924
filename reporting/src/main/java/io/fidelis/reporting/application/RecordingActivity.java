package io.fidelis.reporting.application;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.fidelis.members.MemberDirectory;
import io.fidelis.members.ProgramId;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.Tally;

/**
 * Turns module events into counted figures as they land, and counts a program again from what
 * was kept when asked to (after a new report is added or a counting bug is fixed).
 */
@Service
public class RecordingActivity {

	static final int BATCH = 512;

	private final ReportStore store;
	private final MemberDirectory directory;
	private final TransactionTemplate separately;
	private final Queue<Waiting> queue = new ConcurrentLinkedQueue<>();
	private final ReentrantLock counting = new ReentrantLock();
	private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
	/** Live counting shares a program; a rebuild has it alone (within this node). */
	private final Map<String, ReadWriteLock> locks = new ConcurrentHashMap<>();

	RecordingActivity(ReportStore store, MemberDirectory directory, PlatformTransactionManager transactions) {
		this.store = store;
		this.directory = directory;
		this.separately = new TransactionTemplate(transactions);
		this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** Counts the activity, returning once it is stored. */
	public void record(Activity activity) {
		recordAll(List.of(activity));
	}

	/**
	 * Counts the activities, returning once they are stored. Activities recorded at the same
	 * moment (listeners run on several threads) are counted together: whoever finds no count in
	 * progress counts everything waiting, in a few writes, while the others wait for it (a group
	 * commit).
	 */
	public void recordAll(List<Activity> activities) {
		if (activities.isEmpty()) {
			return;
		}
		List<Waiting> mine = activities.stream().map(Waiting::new).toList();
		queue.addAll(mine);
		counting.lock();
		try {
			// a long queue takes more than one batch to reach these activities; the queue is
			// first in, first out, so once the last of them is counted, all of them are
			while (!mine.get(mine.size() - 1).done) {
				List<Waiting> batch = new ArrayList<>();
				for (Waiting next; batch.size() < BATCH && (next = queue.poll()) != null;) {
					batch.add(next);
				}
				RuntimeException failure = null;
				try {
					// committed before anyone is told: a listener's own transaction must not carry others' counts
					separately.executeWithoutResult(status -> count(batch.stream().map(w -> w.activity).toList()));
				}
				catch (RuntimeException e) {
					failure = e;
				}
				for (Waiting w : batch) {
					w.failure = failure;
					w.done = true;
				}
			}
		}
		finally {
			counting.unlock();
		}
		for (Waiting w : mine) {
			if (w.failure != null) {
				throw w.failure; // the listener fails: its event is handed to it again
			}
		}
	}

	private void count(List<Activity> batch) {
		Map<String, LocalDate> days = new HashMap<>();
		List<ReportStore.FirstsClaim> claims = new ArrayList<>();
		for (Activity a : batch) {
			LocalDate day = a.at().atZone(zone(a.program())).toLocalDate();
			days.put(a.id(), day);
			if (a.kind().byTheMember()) {
				claims.add(new ReportStore.FirstsClaim(a.program(), a.member(), day, a.id()));
			}
		}
		Map<String, ReportStore.Firsts> firsts = claims.isEmpty() ? Map.of() : store.claimFirstsAll(claims);
		List<ReportStore.Folding> folding = batch.stream().map(a -> {
			ReportStore.Firsts f = firsts.get(a.id());
			return new ReportStore.Folding(f == null ? a : a.withFirsts(f.day(), f.week(), f.month()), days.get(a.id()));
		}).toList();
		// a rebuild has its program alone: take the programs' read locks, in one order
		List<java.util.concurrent.locks.Lock> held = batch.stream().map(Activity::program).distinct().sorted()
				.map(p -> lock(p).readLock()).toList();
		held.forEach(java.util.concurrent.locks.Lock::lock);
		try {
			store.foldAll(folding);
		}
		finally {
			held.forEach(java.util.concurrent.locks.Lock::unlock);
		}
	}

	/** An activity waiting to be counted, and how its count went. */
	private static final class Waiting {
		final Activity activity;
		volatile boolean done;
		volatile RuntimeException failure;

		Waiting(Activity activity) {
			this.activity = activity;
		}
	}

	public record Rebuilt(String program, int activities, int days) {
	}

	/** Counts the program again from every activity kept, and swaps the result in. */
	public Rebuilt rebuild(String program) {
		var lock = lock(program).writeLock();
		lock.lock();
		try {
			List<Activity> activities = store.activities(program);
			Tally tally = Tally.of(activities, zone(program));
			store.replace(program, tally.days(), tally.totals());
			return new Rebuilt(program, activities.size(), tally.days().size());
		}
		finally {
			lock.unlock();
		}
	}

	ZoneId zone(String program) {
		ZoneId known = zones.get(program);
		if (known != null) {
			return known;
		}
		// a program's zone is fixed once defined; an unknown program counts in UTC (and is not remembered)
		return directory.timeZoneOf(new ProgramId(program)).map(z -> {
			zones.put(program, z);
			return z;
		}).orElse(ZoneOffset.UTC);
	}

	private ReadWriteLock lock(String program) {
		return locks.computeIfAbsent(program, p -> new ReentrantReadWriteLock());
	}
}
