package io.fidelis.points.application;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.PointsAccount;

/**
 * Where accounts and their ledgers are kept. An account is one document changed by one
 * conditional write; the entries of a change ride in it (its journal) until they are settled
 * into the member's history, so that nothing a change owes can be lost between two writes.
 */
public interface AccountStore {

	/** Opens the account unless it is open already; true when this call opened it. */
	boolean openIfAbsent(PointsAccount account);

	/** {@link #openIfAbsent} for many accounts; answers those this call opened. */
	default List<PointsAccount> openAllIfAbsent(List<PointsAccount> accounts) {
		return accounts.stream().filter(this::openIfAbsent).toList();
	}

	Optional<Stored> find(String memberId);

	Map<String, PointsAccount> findAll(Collection<String> memberIds);

	/** Accounts with their journals, read together; members without an account are left out. */
	Map<String, Stored> findStored(Collection<String> memberIds);

	/**
	 * Writes {@code after} and journals its entries, only if the stored account is still at
	 * {@code expectedVersion}. False when another change came first: read again and retry.
	 */
	boolean apply(long expectedVersion, PointsAccount after, List<Entry> entries);

	/**
	 * {@link #apply} for many accounts, each named once, in one write where the store can; answers,
	 * write by write, whether it was made. A write not made changed nothing (another change came first).
	 */
	default List<Boolean> applyAll(List<Write> writes) {
		return writes.stream().map(w -> apply(w.expectedVersion(), w.after(), w.entries())).toList();
	}

	/** One account's change for {@link #applyAll}: as the arguments of {@link #apply}. */
	record Write(long expectedVersion, PointsAccount after, List<Entry> entries) {
	}

	/**
	 * Copies journalled entries into their members' histories, many members at once; copying the
	 * same entry twice changes nothing.
	 */
	void settleHistory(Map<String, List<Entry>> entriesByMember);

	/** Drops entries from their accounts' journals once everything they owed is done, many members at once. */
	void forget(Map<String, List<Entry>> entriesByMember);

	/**
	 * Members whose account still journals entries: left by a crash between a change and its
	 * settling. This one scans; it runs once per start, never on a request's path.
	 */
	List<String> withUnsettledEntries();

	/**
	 * Removes the free text a person could be named in (reasons, external references) from the
	 * member's lots and history; amounts, dates and versions stay. Running it twice changes nothing.
	 */
	void scrubFreeText(String memberId);

	/**
	 * The entry request {@code request} wrote, looked for in the history among sequences above
	 * {@code after} up to {@code upTo} (the journal is the caller's to look at): how a retried
	 * request finds what it came to. Its cost grows with the entries between, so callers start from
	 * the version they read before claiming the key.
	 */
	Optional<Entry> entryOfRequest(String memberId, String request, long after, long upTo);

	/** One entry, from the history or the journal. */
	Optional<Entry> entry(String memberId, long sequence);

	/** History, newest first, strictly before {@code beforeSequence}; reads at most {@code scanLimit} entries. */
	HistoryPage history(String memberId, long beforeSequence, int limit, int scanLimit, HistoryFilter filter);

	/** An account as stored, with the entries it still owes to its history. */
	record Stored(PointsAccount account, List<Entry> journal) {
	}

	record HistoryFilter(java.util.Set<EntryType> types, java.time.Instant from, java.time.Instant to) {
		public boolean accepts(Entry entry) {
			return (types == null || types.isEmpty() || types.contains(entry.type()))
					&& (from == null || !entry.at().isBefore(from)) && (to == null || entry.at().isBefore(to));
		}
	}

	/** @param scannedDownTo the lowest sequence looked at; the next page starts below it */
	record HistoryPage(List<Entry> entries, long scannedDownTo) {
	}
}
