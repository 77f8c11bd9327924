package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.ReturnPolicy;
import io.fidelis.points.domain.Source;

/**
 * The clock-driven work with a clock the test moves: pending points activate after the return
 * window and expire after their months, each once, however often the work runs.
 */
class ClockWorkTest extends LedgerUnderAMovingClock {

	@Test
	void pendingPointsActivateThenExpireOnceEach() {
		ProgramId program = programWithRules("clockwork", Set.of("FR"), 14, new ExpiryPolicy.RollingMonths(1),
				ReturnPolicy.PENDING_ONLY);
		Caller pos = new Caller.IntegrationClient("pos", Set.of("points:write", "members:write"));
		String member = ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(pos, new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "M", null, false, "v1", UUID.randomUUID().toString())))
				.member().id().value();
		moving.move(pos, new MovingPoints.Movement.Earn(member, 100L, null, null,
				new Source(Channel.ONLINE, "FR", null, null, "order-1"), "order-1", UUID.randomUUID().toString()), false);
		assertThat(account(member).pending()).isEqualTo(100);
		awaitSettled(member); // its activation day is written when the earn is settled, after the answer

		CLOCK.advance(Duration.ofDays(13));
		clockWork.runDue();
		assertThat(account(member).pending()).isEqualTo(100);

		CLOCK.advance(Duration.ofDays(2));
		clockWork.runDue();
		clockWork.runDue();
		assertThat(account(member).available()).isEqualTo(100);
		assertThat(account(member).pending()).isZero();

		CLOCK.advance(Duration.ofDays(31));
		clockWork.runDue();
		clockWork.runDue();
		assertThat(account(member).available()).isZero();

		List<Entry> history = reading.history(account(member), null, 100,
				new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries();
		assertThat(history).extracting(Entry::type).containsExactly(EntryType.EXPIRED, EntryType.ACTIVATED,
				EntryType.EARNED);
	}

	@Autowired
	io.fidelis.members.application.KeepingTiers keepingTiers;
	@Autowired
	io.fidelis.members.application.TierBook tierBook;
	@Autowired
	io.fidelis.members.application.TierClockWork tierClockWork;

	@Test
	void theTierClockworkDowngradesAfterTheReviewWithoutAnyoneLooking() {
		ProgramId program = new ProgramId("tier-clockwork");
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, "Tiers", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		keepingTiers.setPolicy(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), program, new io.fidelis.members.domain.TierPolicy(
				List.of(new io.fidelis.members.domain.TierPolicy.Tier("Silver", 100)),
				io.fidelis.members.domain.TierPolicy.Metric.POINTS_EARNED, 1, 5));
		Caller pos = new Caller.IntegrationClient("pos", Set.of("members:write"));
		MemberId member = ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(pos, new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "T", null, false, "v1", UUID.randomUUID().toString())))
				.member().id();
		keepingTiers.record(new io.fidelis.members.QualifyingActivity(member, program, 150, 1, null, null, "tx", CLOCK.instant(), 1));
		assertThat(tierBook.standing(member.value()).orElseThrow().earnedTier()).isEqualTo("Silver");

		CLOCK.advance(Duration.ofDays(20));
		tierClockWork.runDue();
		assertThat(tierBook.standing(member.value()).orElseThrow().earnedTier()).isEqualTo("Silver");

		CLOCK.advance(Duration.ofDays(20)); // past one month and five days of grace
		tierClockWork.runDue();
		tierClockWork.runDue();
		assertThat(tierBook.standing(member.value()).orElseThrow().earnedTier()).isNull();
	}

	private io.fidelis.points.domain.PointsAccount account(String member) {
		return reading.account(new MemberId(member)).orElseThrow();
	}
}
