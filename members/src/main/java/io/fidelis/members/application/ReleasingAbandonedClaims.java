package io.fidelis.members.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;
import io.fidelis.members.application.MemberStore.Claiming;
import io.fidelis.members.application.MemberStore.PendingMinute;
import io.fidelis.members.domain.Member;

/**
 * Gives back the claims of enrollments that stopped between their claims and their member (a
 * crash, a node killed), once that is long past: their owner never came into existence, so they
 * guard nothing, and until now they stayed for good (a later enrollment of the same person took
 * them over, lazily, after {@link EnrollingMembers#ABANDONED_AFTER}). The sweep goes minute by
 * minute through the claim batches the store marked ({@link MemberStore#nextPendingMinute}), all
 * read by exact keys; a batch whose members were stored is just forgotten.
 *
 * <p>The request's key goes first, so that a retry from then on starts afresh instead of resuming
 * the owner being given up. A retry that resumed it just before, and stored its member while its
 * claims were being given back, gets them again at the next run. Every node may sweep: giving a
 * claim back is exact ({@code _id} and owner), so two sweeps of a minute give it back once.
 */
@Service
public class ReleasingAbandonedClaims {

	private static final Logger log = LoggerFactory.getLogger(ReleasingAbandonedClaims.class);

	/** Minutes swept in one run, so that a node back after a long stop catches up in steps. */
	static final int MINUTES_PER_RUN = 60;

	private final MemberStore members;
	private final Clock clock;
	/** When an enrollment is surely over: far beyond any request's time-out and the lazy take-over. */
	private final Duration longPast;
	/** What the last run gave back, by owner: looked at once more in case a retry stored that member meanwhile. */
	private Map<MemberId, List<Claiming>> givenBack = Map.of();

	ReleasingAbandonedClaims(MemberStore members, Clock clock,
			@org.springframework.beans.factory.annotation.Value("${fidelis.members.claim-sweep-after:PT10M}") Duration longPast) {
		if (longPast.isNegative() || longPast.isZero()) {
			throw new IllegalArgumentException("fidelis.members.claim-sweep-after must be a positive duration, not " + longPast);
		}
		this.members = members;
		this.clock = clock;
		this.longPast = longPast;
	}

	/** What a run did. */
	public record Swept(int minutes, int enrollments, int claims, int restored) {
	}

	public synchronized Swept sweep() {
		int restored = restoreResumed();
		Instant before = clock.instant().minus(longPast);
		Map<MemberId, List<Claiming>> released = new HashMap<>();
		int minutes = 0;
		while (minutes < MINUTES_PER_RUN) {
			Optional<PendingMinute> next = members.nextPendingMinute(before);
			if (next.isEmpty()) {
				break;
			}
			release(next.get(), released);
			members.minuteSwept(next.get());
			minutes++;
		}
		givenBack = released;
		Swept swept = new Swept(minutes, released.size(), released.values().stream().mapToInt(List::size).sum(),
				restored);
		if (swept.claims() > 0 || restored > 0) {
			log.info("Gave back {} claims of {} enrollments that stopped before their member was stored ({} restored "
					+ "to members a retry stored meanwhile)", swept.claims(), swept.enrollments(), restored);
		}
		return swept;
	}

	private void release(PendingMinute minute, Map<MemberId, List<Claiming>> released) {
		Map<MemberId, List<Claiming>> byOwner = new LinkedHashMap<>();
		minute.batches().forEach(batch -> batch.claims()
				.forEach(c -> byOwner.computeIfAbsent(c.owner(), o -> new ArrayList<>()).add(c)));
		if (byOwner.isEmpty()) {
			return;
		}
		Set<MemberId> stored = members.findAll(byOwner.keySet()).stream().map(Member::id).collect(Collectors.toSet());
		byOwner.forEach((owner, claims) -> {
			if (stored.contains(owner)) {
				return;
			}
			List<Claiming> gone = new ArrayList<>();
			claims.stream().sorted(Comparator.comparing((Claiming c) -> !c.claim().isRequest())).forEach(c -> {
				if (members.release(c.claim(), owner)) {
					gone.add(c);
				}
			});
			if (!gone.isEmpty()) {
				released.computeIfAbsent(owner, o -> new ArrayList<>()).addAll(gone);
			}
		});
	}

	private int restoreResumed() {
		if (givenBack.isEmpty()) {
			return 0;
		}
		int restored = 0;
		Instant now = clock.instant();
		for (Member member : members.findAll(givenBack.keySet())) {
			for (Claiming c : givenBack.get(member.id())) {
				if (members.claim(c.claim(), member.id(), c.fingerprint(), now).ownedBy(member.id())) {
					restored++;
				}
				else {
					log.warn("Member {} was stored by a retry while its claim {} was given back, and someone else holds "
							+ "it now", member.id().value(), c.claim().key());
				}
			}
		}
		givenBack = Map.of();
		return restored;
	}
}
