package io.fidelis.members.application;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.fidelis.members.MemberId;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;

/** A member store for use-case tests; {@link MemberStoreContract} holds it to the Mongo adapter's behaviour. */
public class InMemoryMemberStore implements MemberStore {

	final Map<MemberId, Member> members = new ConcurrentHashMap<>();
	final Map<String, HeldClaim> claims = new ConcurrentHashMap<>();

	@Override
	public Optional<Member> find(MemberId id) {
		return Optional.ofNullable(members.get(id));
	}

	@Override
	public List<Member> findAll(Collection<MemberId> ids) {
		return ids.stream().distinct().map(members::get).filter(Objects::nonNull).toList();
	}

	@Override
	public void insert(Member member) {
		members.putIfAbsent(member.id(), member);
	}

	@Override
	public synchronized boolean update(long expectedVersion, Member after) {
		Member current = members.get(after.id());
		if (current == null || current.version() != expectedVersion) {
			return false;
		}
		members.put(after.id(), after);
		return true;
	}

	@Override
	public HeldClaim claim(IdentityClaim claim, MemberId owner, String fingerprint, Instant at) {
		return claims.computeIfAbsent(claim.key(), k -> new HeldClaim(claim, owner, fingerprint, at));
	}

	@Override
	public boolean takeOver(IdentityClaim claim, MemberId staleOwner, MemberId newOwner, String fingerprint,
			Instant at) {
		HeldClaim[] moved = { null };
		claims.computeIfPresent(claim.key(), (k, held) -> {
			if (!held.ownedBy(staleOwner)) {
				return held;
			}
			moved[0] = new HeldClaim(claim, newOwner, fingerprint, at);
			return moved[0];
		});
		return moved[0] != null;
	}

	@Override
	public boolean release(IdentityClaim claim, MemberId owner) {
		boolean[] released = { false };
		claims.computeIfPresent(claim.key(), (k, held) -> {
			released[0] = held.ownedBy(owner);
			return released[0] ? null : held;
		});
		return released[0];
	}

	/** Claim batches by minute, as the Mongo store marks them; and the last minute swept. */
	final java.util.NavigableMap<Long, List<PendingClaims>> pending = new java.util.concurrent.ConcurrentSkipListMap<>();
	private long swept = Long.MIN_VALUE;
	private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();

	@Override
	public List<HeldClaim> claimAll(List<Claiming> wanted, Instant at) {
		if (wanted.isEmpty()) {
			return List.of();
		}
		pending.computeIfAbsent(at.getEpochSecond() / 60, m -> new java.util.concurrent.CopyOnWriteArrayList<>())
				.add(new PendingClaims("batch-" + batches.incrementAndGet(), List.copyOf(wanted)));
		return wanted.stream().map(c -> claim(c.claim(), c.owner(), c.fingerprint(), at)).toList();
	}

	@Override
	public synchronized Optional<PendingMinute> nextPendingMinute(Instant before) {
		Long minute = pending.ceilingKey(swept == Long.MIN_VALUE ? Long.MIN_VALUE : swept + 1);
		if (minute == null || minute >= before.getEpochSecond() / 60) {
			return Optional.empty();
		}
		return Optional.of(new PendingMinute(minute, List.copyOf(pending.get(minute))));
	}

	@Override
	public synchronized void forgetPending(MemberId owner, Instant claimedAt) {
		List<PendingClaims> batches = pending.get(claimedAt.getEpochSecond() / 60);
		if (batches == null) {
			return;
		}
		for (PendingClaims batch : List.copyOf(batches)) {
			if (batch.claims().stream().anyMatch(c -> c.owner().equals(owner))) {
				List<Claiming> others = batch.claims().stream().filter(c -> !c.owner().equals(owner)).toList();
				batches.remove(batch);
				if (!others.isEmpty()) {
					batches.add(new PendingClaims(batch.id(), others));
				}
			}
		}
	}

	@Override
	public synchronized void minuteSwept(PendingMinute minute) {
		List<PendingClaims> left = pending.get(minute.minute());
		if (left != null) {
			left.removeAll(minute.batches());
			if (left.isEmpty()) {
				pending.remove(minute.minute());
			}
		}
		swept = Math.max(swept, minute.minute());
	}

	@Override
	public Optional<HeldClaim> held(IdentityClaim claim) {
		return Optional.ofNullable(claims.get(claim.key())).map(held -> retired.containsKey(claim.key())
				? new HeldClaim(held.claim(), held.owner(), held.fingerprint(), held.claimedAt(),
						retired.get(claim.key()).reason())
				: held);
	}

	final Map<String, RetiredCard> retired = new ConcurrentHashMap<>();
	final Map<String, CardStock.Batch> stock = new ConcurrentHashMap<>();

	@Override
	public void forgetCardNumbers(MemberId owner, io.fidelis.members.ProgramId program) {
		claims.values().stream().filter(h -> h.ownedBy(owner) && h.claim().isCard()).toList().forEach(h -> {
			IdentityClaim number = h.claim();
			IdentityClaim digest = IdentityClaim.cardDigest(program,
					new io.fidelis.members.domain.CardNumber(number.key().substring(number.key().lastIndexOf('|') + 1)));
			claims.putIfAbsent(digest.key(), new HeldClaim(digest, owner, "erased", h.claimedAt()));
			claims.remove(number.key());
			retired.remove(number.key());
		});
	}

	@Override
	public boolean retireCard(IdentityClaim card, MemberId owner, String reason, String replacedBy, Instant at) {
		HeldClaim held = claims.get(card.key());
		if (held == null || !held.ownedBy(owner)) {
			return false;
		}
		retired.put(card.key(), new RetiredCard(owner, reason, replacedBy, at));
		return true;
	}

	@Override
	public Optional<RetiredCard> retiredCard(IdentityClaim card) {
		return Optional.ofNullable(retired.get(card.key()));
	}

	@Override
	public boolean addStockBatch(CardStock.Batch batch) {
		return stock.putIfAbsent(batch.programId().value() + "|" + batch.batchId(), batch) == null;
	}

	@Override
	public Optional<CardStock.Batch> stockBatch(io.fidelis.members.ProgramId program, String batchId) {
		return Optional.ofNullable(stock.get(program.value() + "|" + batchId));
	}
}
