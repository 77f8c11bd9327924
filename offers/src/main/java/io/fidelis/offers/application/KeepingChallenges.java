package io.fidelis.offers.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.domain.Challenge;
import io.fidelis.offers.domain.ChallengeProgress;
import io.fidelis.points.OfferBonusAwarded;
import io.fidelis.points.PurchaseRecorded;

/**
 * Challenges: staff define them per program, each member's progress is kept from their purchases
 * (one write per purchase for all the challenges running), and a challenge reached pays its points
 * once, through the ledger, keyed by the challenge and the member.
 */
@Service
public class KeepingChallenges {

	private final ChallengeStore store;
	private final MemberDirectory members;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	/**
	 * Each program's challenges as purchases read them, again at most every {@link #READ_AGAIN}:
	 * every purchase asks, and most programs run none. A challenge defined on this node is seen at
	 * once, on the others within those two seconds.
	 */
	private final java.util.Map<String, Read> read = new java.util.concurrent.ConcurrentHashMap<>();
	static final java.time.Duration READ_AGAIN = java.time.Duration.ofSeconds(2);
	private final long readAgainNanos;

	private record Read(List<Challenge> challenges, long at) {
	}

	@org.springframework.beans.factory.annotation.Autowired
	KeepingChallenges(ChallengeStore store, MemberDirectory members, ApplicationEventPublisher events, Clock clock) {
		this(store, members, events, clock, READ_AGAIN);
	}

	KeepingChallenges(ChallengeStore store, MemberDirectory members, ApplicationEventPublisher events, Clock clock,
			java.time.Duration readAgain) {
		this.readAgainNanos = readAgain.toNanos();
		this.store = store;
		this.members = members;
		this.events = events;
		this.clock = clock;
	}

	/** Adds the challenge to its program, or changes it (progress made so far stays). Staff. */
	public Challenge define(Caller caller, Challenge challenge) {
		ProgramId program = new ProgramId(challenge.programId());
		if (members.programDefinition(program).isEmpty()) {
			throw new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no program '" + program + "'");
		}
		if (!caller.mayReach(program)) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, Caller.outOfReach(program));
		}
		store.save(challenge);
		read.remove(challenge.programId());
		return challenge;
	}

	/** The program's challenges running now. */
	public List<Challenge> running(Caller caller, String programId) {
		ProgramId program = new ProgramId(programId);
		if (!caller.mayReach(program)) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, Caller.outOfReach(program));
		}
		Instant now = clock.instant();
		return store.challenges(programId).stream().filter(c -> c.runningAt(now)).toList();
	}

	/** A challenge as one member stands in it. */
	public record MemberChallenge(Challenge challenge, ChallengeProgress.Progress progress) {
	}

	/**
	 * The member's challenges: those running now and those they completed. For the member
	 * themselves, and staff of their program.
	 */
	public List<MemberChallenge> of(Caller caller, MemberId member) {
		ProgramId program = members.programOf(member)
				.orElseThrow(() -> new Refusal.Refused(Refusal.Reason.NOT_FOUND, "There is no member '" + member + "'"));
		boolean self = caller instanceof Caller.Member m && members.isSelf(m, member);
		if (!self && !(caller instanceof Caller.Staff staff && staff.mayReach(program))) {
			throw new Refusal.Refused(Refusal.Reason.FORBIDDEN, caller instanceof Caller.Staff ? Caller.outOfReach(program)
					: "Members see their own challenges only");
		}
		ChallengeProgress progress = store.progress(member.value()).orElse(ChallengeProgress.of(member.value(), program.value()));
		Instant now = clock.instant();
		return store.challenges(program.value()).stream()
				.filter(c -> c.runningAt(now) || progress.of(c.challengeId()).completedAt() != null)
				.map(c -> new MemberChallenge(c, progress.of(c.challengeId()))).toList();
	}

	private List<Challenge> challengesOf(String programId) {
		long now = System.nanoTime();
		Read last = read.get(programId);
		if (last == null || now - last.at() > readAgainNanos) {
			last = new Read(store.challenges(programId), now);
			read.put(programId, last);
		}
		return last.challenges();
	}

	/** Every challenge the member took part in, with their progress (their data export). */
	public List<MemberChallenge> exportOf(MemberId member) {
		return store.progress(member.value()).map(p -> store.challenges(p.programId()).stream()
				.filter(c -> p.challenges().containsKey(c.challengeId()))
				.map(c -> new MemberChallenge(c, p.of(c.challengeId()))).toList()).orElse(List.of());
	}

	/** An erasure: the member's progress goes (their purchases and stores are personal data); challenges paid stay paid. */
	public void erase(MemberId member) {
		store.forget(member.value());
	}

	/**
	 * A purchase counted towards the member's running challenges, once per order; each challenge it
	 * completes pays its points (announced again on a redelivery: the ledger pays an award once).
	 */
	public void purchased(PurchaseRecorded e) {
		List<Challenge> running = challengesOf(e.programId().value()).stream().filter(c -> c.runningAt(e.at())).toList();
		if (running.isEmpty()) {
			return;
		}
		String order = e.client() + ":" + e.orderId();
		List<ChallengeProgress.Line> lines = e.lines().stream()
				.map(l -> new ChallengeProgress.Line(l.category(), l.amount())).toList();
		for (int attempt = 0; attempt < 16; attempt++) {
			ChallengeProgress before = store.progress(e.memberId().value())
					.orElse(ChallengeProgress.of(e.memberId().value(), e.programId().value()));
			ChallengeProgress.Applied applied = before.purchased(order, e.at(), lines, e.store(), running);
			if (applied.after() != before && !store.save(applied.after())) {
				continue; // another purchase of the member's came first: count on its progress
			}
			for (String completed : applied.completed()) {
				Challenge c = running.stream().filter(r -> r.challengeId().equals(completed)).findFirst().orElseThrow();
				java.time.Instant at = applied.after().of(completed).completedAt();
				events.publishEvent(new OfferBonusAwarded(e.memberId(), e.programId(), "challenge:" + c.challengeId(),
						"challenge:" + c.challengeId() + ":" + e.memberId().value(), c.rewardPoints(), "challenge " + c.name(), at));
				events.publishEvent(new io.fidelis.offers.ChallengeCompleted(e.memberId(), e.programId(), c.challengeId(),
						c.name(), c.rewardPoints(), order, at));
			}
			return;
		}
		throw new IllegalStateException("The challenges of member " + e.memberId() + " changed 16 times in a row");
	}
}
