package io.fidelis.points.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.QualifyingActivities;
import io.fidelis.members.QualifyingActivity;
import io.fidelis.points.PointsActivated;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsMovement;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.PointsTransferred;
import io.fidelis.points.application.AccountStore.Stored;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.PointsAccount;

/**
 * What an applied change still owes once its answer is out: the member's history, the
 * clockwork's due days, the module events (one {@code PointsSettled} for the whole batch), and
 * finally dropping the entries from the account's journal. The journal is durable, so a change is safe the
 * moment it is written; settling many accounts together costs one bulk write per kind instead
 * of about ten writes per movement.
 *
 * <p>Order, for a crash at any point: history, due days and events first, the journal last.
 * Whatever a crash interrupts stays in the journal and is settled again; doing any step twice
 * changes nothing (history is keyed by sequence, listeners count an event once). The history
 * written before the journal is dropped is also what a retried request finds its entry in
 * ({@link AccountStore#entryOfRequest}): the key's result is not written.
 */
@Service
public class SettlingAccounts {

	/** Accounts whose journal holds entries not yet settled, each once, oldest first. */
	private final LinkedBlockingQueue<String> owed = new LinkedBlockingQueue<>();
	private final Set<String> queued = ConcurrentHashMap.newKeySet();
	/** The trace of the first change still owed per account, with tracing on (none kept otherwise). */
	private final Map<String, Object> origins = new ConcurrentHashMap<>();
	private final WorkTraces traces;

	private final AccountStore accounts;
	private final Schedule schedule;
	private final ApplicationEventPublisher events;

	/** Movements per event at most: a few hundred kilobytes of JSON per stored publication. */
	static final int MOST_PER_EVENT = 500;

	private final BalanceFeed feed;

	SettlingAccounts(AccountStore accounts, Schedule schedule, ApplicationEventPublisher events, BalanceFeed feed) {
		this(accounts, schedule, events, feed, WorkTraces.NONE);
	}

	@org.springframework.beans.factory.annotation.Autowired
	SettlingAccounts(AccountStore accounts, Schedule schedule, ApplicationEventPublisher events, BalanceFeed feed,
			WorkTraces traces) {
		this.traces = traces;
		this.feed = feed;
		this.accounts = accounts;
		this.schedule = schedule;
		this.events = events;
	}

	/** Notes that {@code memberId}'s journal has something to settle; noting it twice queues it once. */
	public void owe(String memberId) {
		owe(memberId, traces.current());
	}

	/** As {@link #owe(String)}, for a change made for a request of another thread, whose trace is {@code origin}. */
	void owe(String memberId, Object origin) {
		if (origin != null) {
			origins.putIfAbsent(memberId, origin);
		}
		if (queued.add(memberId)) {
			owed.add(memberId);
		}
	}

	/** How many accounts wait to be settled. */
	public int owing() {
		return owed.size();
	}

	/**
	 * Takes up to {@code max} owing accounts, waiting up to {@code wait} for the first. An
	 * account is unmarked before its journal is read, so a change written meanwhile queues it again.
	 */
	List<String> takeOwed(int max, Duration wait) throws InterruptedException {
		return takeOwed(max, wait, Duration.ZERO);
	}

	/**
	 * As {@link #takeOwed(int, Duration)}, letting others join the first for up to {@code gather}
	 * (unless {@code max} are owed already): a batch then carries more accounts, and every module
	 * listener hears of them in one event, so the writes per movement fall as the load rises.
	 */
	List<String> takeOwed(int max, Duration wait, Duration gather) throws InterruptedException {
		List<String> taken = new ArrayList<>();
		String first = wait.isZero() ? owed.poll() : owed.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
		if (first == null) {
			return taken;
		}
		taken.add(first);
		long until = System.nanoTime() + gather.toNanos();
		for (long left; owed.size() < max - 1 && (left = until - System.nanoTime()) > 0;) {
			TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
		}
		owed.drainTo(taken, max - 1);
		taken.forEach(queued::remove);
		return taken;
	}

	/** Runs {@code settling} of {@code memberIds} in the trace of the first request it settles (tracing on). */
	<T> T traced(List<String> memberIds, java.util.function.Supplier<T> settling) {
		List<Object> from = new ArrayList<>();
		for (int i = 0; i < memberIds.size() && !origins.isEmpty(); i++) { // none kept with tracing off
			String memberId = memberIds.get(i);
			Object origin = origins.remove(memberId);
			if (origin != null) {
				from.add(origin);
			}
		}
		return traces.within("fidelis.points.settlement", from, settling);
	}

	/**
	 * Settles the journals of {@code memberIds} as stored now. Returns the transfers out that were
	 * settled but whose receiver may not be credited yet: they stay journalled until the caller
	 * credits them.
	 */
	@Transactional
	public Map<String, List<Entry>> settle(Collection<String> memberIds) {
		return settleStored(accounts.findStored(memberIds).values());
	}

	/** As {@link #settle(Collection)}, for journals the caller has just read. */
	@Transactional
	public Map<String, List<Entry>> settleStored(Collection<Stored> stored) {
		Map<String, List<Entry>> journals = new LinkedHashMap<>();
		List<Schedule.Due> dues = new ArrayList<>();
		for (Stored s : stored) {
			if (s.journal().isEmpty()) {
				continue;
			}
			journals.put(s.account().memberId(), s.journal());
			// a new lot that will activate or expire: tell the clockwork which day to look. One pass
			// over the lots, comparing plain longs: an account keeps hundreds, and looking each entry's
			// lot up (or boxing each lot's id for a set) cost 1.6 % of an earn's CPU
			long[] credited = s.journal().stream().mapToLong(Entry::sequence).sorted().toArray();
			for (var lot : s.account().lots()) {
				if (java.util.Arrays.binarySearch(credited, lot.id()) < 0) {
					continue;
				}
				if (lot.pending()) {
					dues.add(new Schedule.Due(s.account().memberId(), lot.availableAt()));
				}
				if (lot.expiresAt() != null) {
					dues.add(new Schedule.Due(s.account().memberId(), lot.expiresAt()));
				}
			}
		}
		if (journals.isEmpty()) {
			return Map.of();
		}
		accounts.settleHistory(journals);
		schedule.remember(dues);
		Map<String, List<Entry>> done = new LinkedHashMap<>();
		Map<String, List<Entry>> transfers = new LinkedHashMap<>();
		List<PointsMovement> movements = new ArrayList<>();
		List<QualifyingActivity> qualifying = new ArrayList<>();
		for (Stored s : stored) {
			PointsAccount account = s.account();
			for (Entry entry : s.journal()) {
				movements.add(movement(account, entry));
				qualifying(account, entry).ifPresent(qualifying::add);
				// a transfer stays in the payer's journal until the receiver is credited
				(entry.type() == EntryType.TRANSFERRED_OUT ? transfers : done)
						.computeIfAbsent(account.memberId(), m -> new ArrayList<>()).add(entry);
			}
		}
		publish(movements, qualifying);
		feed.changed(journals.keySet()); // live balances on every node hear of it
		// the events must be stored before the journal that would publish them again is dropped:
		// publications are otherwise written only at commit, after these writes
		TransactionSynchronizationUtils.triggerFlush();
		accounts.forget(done);
		return transfers;
	}

	/**
	 * One event per kind for the whole batch (in parts of at most {@link #MOST_PER_EVENT}, so a
	 * long backlog never makes one huge document): each listener is handed the batch once.
	 */
	private void publish(List<PointsMovement> movements, List<QualifyingActivity> qualifying) {
		for (int from = 0; from < movements.size(); from += MOST_PER_EVENT) {
			events.publishEvent(PointsSettled.of(movements.subList(from, Math.min(movements.size(), from + MOST_PER_EVENT))));
		}
		for (int from = 0; from < qualifying.size(); from += MOST_PER_EVENT) {
			events.publishEvent(new QualifyingActivities(
					qualifying.subList(from, Math.min(qualifying.size(), from + MOST_PER_EVENT))));
		}
	}

	/** Tiers are the members module's: it hears what counts towards them in its own event type. */
	private static Optional<QualifyingActivity> qualifying(PointsAccount account, Entry entry) {
		if (entry.type() != EntryType.EARNED && entry.type() != EntryType.REVERSED) {
			return Optional.empty();
		}
		return Optional.of(new QualifyingActivity(new MemberId(account.memberId()), new ProgramId(account.programId()),
				entry.delta(), entry.type() == EntryType.EARNED ? 1 : 0,
				entry.spend() == null ? null : entry.spend().amount().toPlainString(),
				entry.spend() == null ? null : entry.spend().currency(), entry.transaction(), entry.at(),
				entry.sequence()));
	}

	private static PointsMovement movement(PointsAccount account, Entry e) {
		MemberId member = new MemberId(account.memberId());
		ProgramId program = new ProgramId(account.programId());
		String channel = e.source() == null ? null : e.source().channel().name();
		String region = e.source() == null ? null : e.source().region();
		String store = e.source() == null ? null : e.source().store();
		String partner = e.source() == null ? null : e.source().partner();
		long delta = e.delta();
		return switch (e.type()) {
			// listeners count a referral's bonus as points earned; the ledger keeps its own type
			case EARNED, REFERRAL_BONUS -> new PointsEarned(member, program, delta, e.availableAfter(), e.pendingAfter(), e.sequence(),
					e.transaction(), channel, region, store, partner, e.at());
			case REDEEMED -> new PointsRedeemed(member, program, delta, e.availableAfter(), e.pendingAfter(),
					e.sequence(), e.transaction(), channel, region, store, partner, e.at());
			case ADJUSTED -> new PointsAdjusted(member, program, delta, e.availableAfter(), e.pendingAfter(),
					e.sequence(), e.transaction(), channel, region, store, partner, e.at());
			case REVERSED -> new PointsReversed(member, program, delta, e.availableAfter(), e.pendingAfter(),
					e.sequence(), e.transaction(), channel, region, store, partner, e.at());
			case ACTIVATED -> new PointsActivated(member, program, e.availableDelta(), e.availableAfter(),
					e.pendingAfter(), e.sequence(), e.transaction(), channel, region, store, partner, e.at());
			case EXPIRED -> new PointsExpired(member, program, delta, e.availableAfter(), e.pendingAfter(), e.sequence(),
					e.transaction(), channel, region, store, partner, e.at());
			case TRANSFERRED_OUT, TRANSFERRED_IN -> new PointsTransferred(member, program, new MemberId(e.counterpart()),
					delta, e.availableAfter(), e.pendingAfter(), e.sequence(), e.transaction(), e.at());
		};
	}
}
