package io.fidelis.members.application;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.QualifyingActivity;
import io.fidelis.members.TierChanged;
import io.fidelis.members.domain.Program;
import io.fidelis.members.domain.TierPolicy;
import io.fidelis.members.domain.TierStanding;

/**
 * Tiers, from the activity the points module reports: upgrades the moment a member qualifies,
 * downgrades only after the review date, manual tiers that end on their date.
 */
@Service
public class KeepingTiers {

	private final TierBook tiers;
	private final TierReviews reviews;
	private final ProgramStore programs;
	private final MemberStore members;
	private final ApplicationEventPublisher events;
	private final Clock clock;

	KeepingTiers(TierBook tiers, TierReviews reviews, ProgramStore programs, MemberStore members,
			ApplicationEventPublisher events, Clock clock) {
		this.tiers = tiers;
		this.reviews = reviews;
		this.programs = programs;
		this.members = members;
		this.events = events;
		this.clock = clock;
	}

	/** Sets a program's ladder; empty when there is no such program. */
	public Optional<TierPolicy> setPolicy(Caller caller, ProgramId program, TierPolicy policy) {
		Refusal.requireReach(caller, program);
		if (programs.find(program).isEmpty()) {
			return Optional.empty();
		}
		tiers.setPolicy(program, policy);
		return Optional.of(policy);
	}

	public Optional<TierPolicy> policy(Caller caller, ProgramId program) {
		Refusal.requireReach(caller, program);
		return tiers.policy(program);
	}

	@Transactional
	public void record(QualifyingActivity activity) {
		recordAll(List.of(activity));
	}

	/**
	 * Counts many members' activity, as the points module settles it: one read and one write per
	 * member, however many of their activities the batch holds (in the order their account made them).
	 */
	@Transactional
	public void recordAll(List<QualifyingActivity> activities) {
		Map<String, List<QualifyingActivity>> byMember = new LinkedHashMap<>();
		activities.stream().sorted(Comparator.comparingLong(QualifyingActivity::sourceVersion))
				.forEach(a -> byMember.computeIfAbsent(a.memberId().value(), m -> new ArrayList<>()).add(a));
		// read once per program for the batch, not once per member
		Map<ProgramId, Optional<TierPolicy>> policies = new HashMap<>();
		Map<ProgramId, ZoneId> zones = new HashMap<>();
		byMember.forEach((member, theirs) -> {
			ProgramId program = theirs.get(0).programId();
			Optional<TierPolicy> ladder = policies.computeIfAbsent(program, tiers::policy);
			if (ladder.isEmpty()) {
				return; // no ladder in this program: nothing to keep
			}
			change(member, program, ladder, zones.computeIfAbsent(program, this::zoneOf), (standing, policy, zone, now) -> {
				TierStanding after = standing;
				List<String[]> changes = new ArrayList<>();
				for (QualifyingActivity a : theirs) {
					TierStanding.Update update = after.record(a.points(), a.transactions(), hundredths(a, policy), a.at(),
							a.sourceVersion(), policy, zone, now);
					after = update.standing();
					update.change().ifPresent(changes::add);
				}
				return new Steps(after, changes);
			});
		});
	}

	/** Money in the ladder's currency, in hundredths; other currencies do not count towards it. */
	private static long hundredths(QualifyingActivity activity, TierPolicy policy) {
		if (activity.money() == null || policy.currency() == null || !policy.currency().equals(activity.currency())) {
			return 0;
		}
		return new java.math.BigDecimal(activity.money()).movePointRight(2)
				.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
	}

	/** The member's standing now (a due review or an ended manual tier is applied on the way). */
	@Transactional
	public Optional<Standing> standing(MemberId member) {
		Optional<ProgramId> program = members.find(member).map(m -> m.programId());
		if (program.isEmpty()) {
			return Optional.empty();
		}
		Optional<TierPolicy> policy = tiers.policy(program.get());
		if (policy.isEmpty()) {
			return Optional.empty();
		}
		TierStanding after = change(member.value(), program.get(), (s, p, zone, now) -> Steps.of(s.evaluate(p, zone, now)));
		return Optional.of(standingOf(after, policy.get(), zoneOf(program.get()), clock.instant()));
	}

	/** What a standing means now: its tier, what counts in the window, and the way to the next tier. */
	private static Standing standingOf(TierStanding standing, TierPolicy policy, ZoneId zone, Instant now) {
		long qualifying = policy.qualifying(standing.monthly(), now, zone);
		return new Standing(standing, standing.effectiveTier(now), qualifying, policy.progress(qualifying));
	}

	public record Standing(TierStanding standing, String tier, long qualifying, Optional<TierPolicy.Progress> progress) {
	}

	/**
	 * Many members' tiers as they stand now, for reading (a page of members): one read of their
	 * standings, the ladder and time zone once per program, and nothing written. A downgrade or a
	 * manual tier that ended since the last write shows at once; the review clockwork stores it.
	 * Members of a program without a ladder are left out.
	 */
	public Map<MemberId, Standing> standingsOf(Map<MemberId, ProgramId> programsOf) {
		Map<ProgramId, Optional<TierPolicy>> policies = new HashMap<>();
		Map<ProgramId, ZoneId> zones = new HashMap<>();
		List<String> laddered = new ArrayList<>();
		programsOf.forEach((member, program) -> {
			if (policies.computeIfAbsent(program, tiers::policy).isPresent()) {
				laddered.add(member.value());
			}
		});
		if (laddered.isEmpty()) {
			return Map.of();
		}
		Map<String, TierStanding> stored = tiers.standings(laddered);
		Instant now = clock.instant();
		Map<MemberId, Standing> standings = new HashMap<>();
		for (String id : laddered) {
			MemberId member = new MemberId(id);
			ProgramId program = programsOf.get(member);
			TierPolicy policy = policies.get(program).orElseThrow();
			ZoneId zone = zones.computeIfAbsent(program, this::zoneOf);
			TierStanding current = stored.getOrDefault(id, TierStanding.fresh(id, program.value()));
			standings.put(member, standingOf(current.evaluate(policy, zone, now).standing(), policy, zone, now));
		}
		return standings;
	}

	@Transactional
	public Optional<TierStanding> assign(Caller caller, MemberId member, String tier, Instant until) {
		Optional<ProgramId> program = members.find(member).map(m -> m.programId());
		program.ifPresent(p -> Refusal.requireReach(caller, p));
		if (program.isEmpty() || tiers.policy(program.get()).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(change(member.value(), program.get(), (s, p, zone, now) -> Steps.of(s.assign(tier, until, p, now))));
	}

	interface Step {
		Steps apply(TierStanding standing, TierPolicy policy, ZoneId zone, Instant now);
	}

	/** A standing after one or more steps, and the tier changes on the way (previous, tier, reason). */
	record Steps(TierStanding standing, List<String[]> changes) {
		static Steps of(TierStanding.Update update) {
			return new Steps(update.standing(), update.change().map(java.util.Collections::singletonList).orElse(List.of()));
		}
	}

	private TierStanding change(String memberId, ProgramId program, Step step) {
		return change(memberId, program, tiers.policy(program), zoneOf(program), step);
	}

	private TierStanding change(String memberId, ProgramId program, Optional<TierPolicy> policy, ZoneId zone, Step step) {
		for (int attempt = 0; attempt < 32; attempt++) {
			TierStanding current = tiers.standing(memberId).orElse(TierStanding.fresh(memberId, program.value()));
			if (policy.isEmpty()) {
				return current; // no ladder in this program: nothing to keep
			}
			Instant now = clock.instant();
			Steps update = step.apply(current, policy.get(), zone, now);
			if (update.standing().equals(current)) {
				return current;
			}
			TierStanding next = update.standing().withRevision(current.revision() + 1);
			if (tiers.save(current.revision(), next)) {
				if (next.reviewAt() != null && !next.reviewAt().equals(current.reviewAt())) {
					reviews.remember(memberId, next.reviewAt());
				}
				if (next.manualUntil() != null && !next.manualUntil().equals(current.manualUntil())) {
					reviews.remember(memberId, next.manualUntil());
				}
				update.changes().forEach(c -> events.publishEvent(
						new TierChanged(new MemberId(memberId), program, c[0], c[1], c[2], now)));
				return next;
			}
		}
		throw new IllegalStateException("Tier standing of " + memberId + " kept changing under us");
	}

	private ZoneId zoneOf(ProgramId program) {
		return programs.find(program).map(Program::timeZone).orElse(ZoneId.of("UTC"));
	}
}
