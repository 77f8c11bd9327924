package io.fidelis.members.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** Imports kept in memory, with the leases of the real log; {@link #finished} opens when one ends. */
final class InMemoryImportLog implements ImportLog {

	final Map<String, MemberImport> byId = new ConcurrentHashMap<>();
	final Map<String, Lease> leases = new ConcurrentHashMap<>();
	final Map<String, Resumable> kept = new ConcurrentHashMap<>();
	final CountDownLatch finished = new CountDownLatch(1);

	@Override
	public synchronized boolean start(MemberImport started, Resumable work) {
		if (byId.putIfAbsent(started.id(), started) != null) {
			return false;
		}
		leases.put(started.id(), new Lease(0, started.startedAt()));
		kept.put(started.id(), work);
		return true;
	}

	@Override
	public synchronized boolean progress(String importId, long lease, int processed, int enrolled, int existing,
			List<MemberImport.RowError> errors, Instant at) {
		if (!renew(importId, lease, at)) {
			return false;
		}
		byId.computeIfPresent(importId, (id, i) -> new MemberImport(id, i.programId(), i.format(), i.status(), i.total(),
				i.processed() + processed, i.enrolled() + enrolled, i.existing() + existing, i.failed() + errors.size(),
				i.errors(), i.startedAt(), i.finishedAt()));
		return true;
	}

	@Override
	public synchronized boolean renew(String importId, long lease, Instant at) {
		Lease held = leases.get(importId);
		if (held == null || held.lease() != lease) {
			return false;
		}
		leases.put(importId, new Lease(lease, at));
		return true;
	}

	@Override
	public synchronized void finish(String importId, long lease, String status, Instant at) {
		Lease held = leases.get(importId);
		if (held == null || held.lease() != lease) {
			return;
		}
		byId.computeIfPresent(importId, (id, i) -> new MemberImport(id, i.programId(), i.format(), status, i.total(),
				i.processed(), i.enrolled(), i.existing(), i.failed(), i.errors(), i.startedAt(), at));
		leases.remove(importId);
		kept.remove(importId);
		finished.countDown();
	}

	@Override
	public Optional<MemberImport> find(String importId) {
		return Optional.ofNullable(byId.get(importId));
	}

	@Override
	public List<String> running() {
		return List.copyOf(leases.keySet());
	}

	@Override
	public Optional<Lease> leaseOf(String importId) {
		return Optional.ofNullable(leases.get(importId));
	}

	@Override
	public synchronized OptionalLong takeOver(String importId, long from, Instant at) {
		Lease held = leases.get(importId);
		if (held == null || held.lease() != from) {
			return OptionalLong.empty();
		}
		leases.put(importId, new Lease(from + 1, at));
		return OptionalLong.of(from + 1);
	}

	@Override
	public Optional<Resumable> resumable(String importId) {
		return Optional.ofNullable(kept.get(importId));
	}
}
