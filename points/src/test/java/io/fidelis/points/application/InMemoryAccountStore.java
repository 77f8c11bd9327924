package io.fidelis.points.application;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.PointsAccount;

/** An account store for use-case tests; synchronized where the real one relies on the server's atomic writes. */
public class InMemoryAccountStore implements AccountStore {

	private final Map<String, Stored> accounts = new ConcurrentHashMap<>();
	private final Map<String, Map<Long, Entry>> history = new ConcurrentHashMap<>();

	@Override
	public synchronized boolean openIfAbsent(PointsAccount account) {
		return accounts.putIfAbsent(account.memberId(), new Stored(account, List.of())) == null;
	}

	@Override
	public Optional<Stored> find(String memberId) {
		return Optional.ofNullable(accounts.get(memberId));
	}

	@Override
	public Map<String, PointsAccount> findAll(Collection<String> memberIds) {
		Map<String, PointsAccount> found = new HashMap<>();
		memberIds.forEach(id -> find(id).ifPresent(s -> found.put(id, s.account())));
		return found;
	}

	@Override
	public synchronized boolean apply(long expectedVersion, PointsAccount after, List<Entry> entries) {
		Stored current = accounts.get(after.memberId());
		if (current == null || current.account().version() != expectedVersion) {
			return false;
		}
		List<Entry> journal = new ArrayList<>(current.journal());
		journal.addAll(entries);
		accounts.put(after.memberId(), new Stored(after, List.copyOf(journal)));
		return true;
	}

	@Override
	public Map<String, Stored> findStored(Collection<String> memberIds) {
		Map<String, Stored> found = new HashMap<>();
		memberIds.forEach(id -> find(id).ifPresent(s -> found.put(id, s)));
		return found;
	}

	@Override
	public void settleHistory(Map<String, List<Entry>> entriesByMember) {
		entriesByMember.forEach((memberId, entries) -> entries
				.forEach(e -> history.computeIfAbsent(memberId, m -> new ConcurrentHashMap<>()).put(e.sequence(), e)));
	}

	@Override
	public synchronized void forget(Map<String, List<Entry>> entriesByMember) {
		entriesByMember.forEach((memberId, entries) -> {
			Stored current = accounts.get(memberId);
			List<Entry> journal = new ArrayList<>(current.journal());
			journal.removeIf(e -> entries.stream().anyMatch(f -> f.sequence() == e.sequence()));
			accounts.put(memberId, new Stored(current.account(), List.copyOf(journal)));
		});
	}

	@Override
	public synchronized void scrubFreeText(String memberId) {
		accounts.computeIfPresent(memberId, (m, s) -> new Stored(s.account(),
				s.journal().stream().map(Entry::withoutFreeText).toList()));
		history.getOrDefault(memberId, Map.of()).replaceAll((sequence, e) -> e.withoutFreeText());
	}

	@Override
	public List<String> withUnsettledEntries() {
		return accounts.values().stream().filter(s -> !s.journal().isEmpty()).map(s -> s.account().memberId()).toList();
	}

	@Override
	public Optional<Entry> entry(String memberId, long sequence) {
		Entry settled = history.getOrDefault(memberId, Map.of()).get(sequence);
		if (settled != null) {
			return Optional.of(settled);
		}
		return find(memberId).flatMap(s -> s.journal().stream().filter(e -> e.sequence() == sequence).findFirst());
	}

	@Override
	public Optional<Entry> entryOfRequest(String memberId, String request, long after, long upTo) {
		Map<Long, Entry> settled = history.getOrDefault(memberId, Map.of());
		for (long sequence = after + 1; sequence <= upTo; sequence++) {
			Entry e = settled.get(sequence);
			if (e != null && request.equals(e.request())) {
				return Optional.of(e);
			}
		}
		return Optional.empty();
	}

	@Override
	public HistoryPage history(String memberId, long beforeSequence, int limit, int scanLimit, HistoryFilter filter) {
		List<Entry> matches = new ArrayList<>();
		long sequence = beforeSequence - 1;
		int scanned = 0;
		while (sequence >= 1 && matches.size() < limit && scanned < scanLimit) {
			Optional<Entry> entry = entry(memberId, sequence);
			if (entry.isPresent() && filter.accepts(entry.get())) {
				matches.add(entry.get());
			}
			scanned++;
			sequence--;
		}
		return new HistoryPage(matches, sequence + 1);
	}
}
