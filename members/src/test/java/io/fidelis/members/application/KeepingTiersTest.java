package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.QualifyingActivity;
import io.fidelis.members.TierChanged;
import io.fidelis.members.domain.Program;
import io.fidelis.members.domain.TierPolicy;
import io.fidelis.members.domain.TierStanding;

/**
 * Tiers hear qualifying activity in settled batches: a batch counts each member's activities in
 * the order their account made them, with one read and one write per member, and tells every
 * tier change on the way.
 */
class KeepingTiersTest {

	static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
	static final ProgramId ACME = new ProgramId("acme");
	static final ProgramId PLAIN = new ProgramId("plain");
	static final TierPolicy LADDER = new TierPolicy(List.of(new TierPolicy.Tier("Silver", 500),
			new TierPolicy.Tier("Gold", 1000)), TierPolicy.Metric.POINTS_EARNED, 12, 30);

	final Map<String, TierStanding> standings = new HashMap<>();
	final List<String> reads = new ArrayList<>();
	final List<String> saves = new ArrayList<>();
	final List<Object> published = new ArrayList<>();
	final Map<ProgramId, TierPolicy> policies = new HashMap<>(Map.of(ACME, LADDER));

	final TierBook book = new TierBook() {
		@Override
		public Optional<TierPolicy> policy(ProgramId program) {
			return Optional.ofNullable(policies.get(program));
		}

		@Override
		public void setPolicy(ProgramId program, TierPolicy policy) {
			policies.put(program, policy);
		}

		@Override
		public Optional<TierStanding> standing(String memberId) {
			reads.add(memberId);
			return Optional.ofNullable(standings.get(memberId));
		}

		@Override
		public Map<String, TierStanding> standings(java.util.Collection<String> memberIds) {
			reads.add("together: " + new java.util.TreeSet<>(memberIds));
			Map<String, TierStanding> found = new HashMap<>();
			memberIds.forEach(id -> Optional.ofNullable(standings.get(id)).ifPresent(st -> found.put(id, st)));
			return found;
		}

		@Override
		public boolean save(long expectedRevision, TierStanding standing) {
			TierStanding current = standings.get(standing.memberId());
			if ((current == null ? 0 : current.revision()) != expectedRevision) {
				return false;
			}
			saves.add(standing.memberId());
			standings.put(standing.memberId(), standing);
			return true;
		}
	};

	final TierReviews reviews = new TierReviews() {
		@Override
		public void remember(String memberId, Instant due) {
		}

		@Override
		public Set<String> dueOn(LocalDate day) {
			return Set.of();
		}

		@Override
		public Optional<LocalDate> lastCompletedDay() {
			return Optional.empty();
		}

		@Override
		public void completed(LocalDate day) {
		}

		@Override
		public boolean lease(String holder, Instant now, Duration length) {
			return true;
		}
	};

	final ProgramStore programs = new ProgramStore() {
		final Map<ProgramId, Program> known = Map.of(ACME,
				new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"), T0), PLAIN,
				new Program(PLAIN, "Plain", Set.of("EUR"), Set.of("FR"), ZoneId.of("UTC"), T0));

		@Override
		public Optional<Program> find(ProgramId id) {
			return Optional.ofNullable(known.get(id));
		}

		@Override
		public boolean add(Program program) {
			return false;
		}
	};

	final KeepingTiers tiers = new KeepingTiers(book, reviews, programs, new InMemoryMemberStore(), published::add,
			Clock.fixed(T0, ZoneOffset.UTC));

	static QualifyingActivity earned(String member, ProgramId program, long points, long version) {
		return new QualifyingActivity(new MemberId(member), program, points, 1, null, null, "tx-" + version,
				T0.minusSeconds(60), version);
	}

	@Test
	void a_batch_counts_each_members_activity_in_account_order_with_one_read_and_one_write_each() {
		tiers.recordAll(List.of(earned("m_ann", ACME, 600, 2), earned("m_bob", ACME, 100, 1),
				earned("m_ann", ACME, 300, 1), earned("m_ann", ACME, 200, 3)));

		assertThat(reads).containsExactly("m_bob", "m_ann");
		assertThat(saves).containsExactly("m_bob", "m_ann");
		assertThat(standings.get("m_ann").effectiveTier(T0)).isEqualTo("Gold");
		assertThat(standings.get("m_bob").effectiveTier(T0)).isNull();
		// 300 (version 1) → 900 Silver (version 2) → 1,100 Gold (version 3): both changes are told, in order
		assertThat(published).map(e -> (TierChanged) e).extracting(TierChanged::previousTier, TierChanged::tier)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(null, "Silver"),
						org.assertj.core.groups.Tuple.tuple("Silver", "Gold"));
	}

	@Test
	void a_batch_delivered_again_changes_nothing() {
		List<QualifyingActivity> batch = List.of(earned("m_ann", ACME, 600, 1), earned("m_ann", ACME, 500, 2));
		tiers.recordAll(batch);
		TierStanding once = standings.get("m_ann");
		published.clear();
		saves.clear();

		tiers.recordAll(batch);

		assertThat(standings.get("m_ann")).isEqualTo(once);
		assertThat(saves).isEmpty();
		assertThat(published).isEmpty();
	}

	@Test
	void members_of_a_program_without_a_ladder_cost_no_read() {
		tiers.recordAll(List.of(earned("m_cy", PLAIN, 5_000, 1)));

		assertThat(reads).isEmpty();
		assertThat(saves).isEmpty();
		assertThat(published).isEmpty();
	}

	@Test
	void a_page_of_members_reads_their_tiers_as_they_stand_now_and_writes_nothing() {
		tiers.recordAll(List.of(earned("m_ann", ACME, 1_100, 1)));
		TierStanding stored = standings.get("m_ann");
		assertThat(stored.effectiveTier(T0)).isEqualTo("Gold");
		reads.clear();
		saves.clear();
		published.clear();

		Map<MemberId, KeepingTiers.Standing> today = tiers.standingsOf(Map.of(new MemberId("m_ann"), ACME,
				new MemberId("m_bob"), ACME, new MemberId("m_cy"), PLAIN));

		assertThat(today).containsOnlyKeys(new MemberId("m_ann"), new MemberId("m_bob"));
		assertThat(today.get(new MemberId("m_ann")).tier()).isEqualTo("Gold");
		assertThat(today.get(new MemberId("m_ann")).qualifying()).isEqualTo(1_100);
		assertThat(today.get(new MemberId("m_bob")).tier()).as("no standing yet").isNull();
		assertThat(today.get(new MemberId("m_bob")).progress()).hasValueSatisfying(
				p -> assertThat(p.nextTier()).isEqualTo("Silver"));
		assertThat(reads).as("one read for the page; a program without a ladder costs none")
				.containsExactly("together: [m_ann, m_bob]");

		// more than a year on, nothing earned since: the read shows the downgrade the review will store
		KeepingTiers later = new KeepingTiers(book, reviews, programs, new InMemoryMemberStore(), published::add,
				Clock.fixed(T0.plus(Duration.ofDays(430)), ZoneOffset.UTC));
		KeepingTiers.Standing ann = later.standingsOf(Map.of(new MemberId("m_ann"), ACME)).get(new MemberId("m_ann"));
		assertThat(ann.tier()).isNull();
		assertThat(ann.qualifying()).isZero();
		assertThat(standings.get("m_ann")).as("reading wrote nothing").isEqualTo(stored);
		assertThat(saves).isEmpty();
		assertThat(published).isEmpty();
		assertThat(tiers.standingsOf(Map.of())).isEmpty();
	}
}
