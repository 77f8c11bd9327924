package io.fidelis.reporting.application;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.springframework.stereotype.Service;

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

	private final ReportStore store;
	private final MemberDirectory directory;
	private final Map<String, ZoneId> zones = new ConcurrentHashMap<>();
	/** Live counting shares a program; a rebuild has it alone (within this node). */
	private final Map<String, ReadWriteLock> locks = new ConcurrentHashMap<>();

	RecordingActivity(ReportStore store, MemberDirectory directory) {
		this.store = store;
		this.directory = directory;
	}

	public void record(Activity activity) {
		LocalDate day = activity.at().atZone(zone(activity.program())).toLocalDate();
		Activity counted = activity;
		if (activity.kind().byTheMember()) {
			ReportStore.Firsts firsts = store.claimFirsts(activity.program(), activity.member(), day, activity.id());
			counted = activity.withFirsts(firsts.day(), firsts.week(), firsts.month());
		}
		var lock = lock(activity.program()).readLock();
		lock.lock();
		try {
			store.fold(counted, day);
		}
		finally {
			lock.unlock();
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
