package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.RewardRedeemed;
import io.fidelis.points.RewardRefunded;
import io.fidelis.points.RewardStockLow;
import io.fidelis.points.application.MovementDesk;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.RedeemingRewards;
import io.fidelis.points.application.SettingRules;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Reward;
import io.fidelis.points.domain.RewardRedemption;
import io.fidelis.points.domain.Source;

/**
 * What the rewards catalog tells the other modules: a redemption as {@code RewardRedeemed} (with
 * its code), the redemption that reaches the reward's low-stock mark as {@code RewardStockLow}
 * too, a refund as {@code RewardRefunded}.
 */
// a context of its own: see ReferralPaysBothSidesTest
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
		"fidelis.test.context=reward-events" })
@EnableScenarios
class RewardEventsTest {

	static final Caller POS = new Caller.IntegrationClient("pos-scenario", Set.of("members:write", "points:write"));
	static final Caller ADMIN = new Caller.Staff("test", Set.of("admin"));
	static final Source TILL = new Source(Channel.IN_STORE, "FR", null, null, null);

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	SettingRules rules;
	@Autowired
	MovementDesk desk;
	@Autowired
	RedeemingRewards rewards;

	@Test
	void aRedemptionItsLowStockAndItsRefundAreAnnounced(Scenario scenario) {
		ProgramId program = new ProgramId("reward-events");
		programs.define(ADMIN, new DefineProgram(program, "Rewards", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program.value()).isPresent());
		rewards.define(ADMIN, new Reward(program.value(), "cinema", "Cinema ticket", null, 200, null, null, 3L, null, null,
				null, Reward.Fulfilment.GENERATED_CODE, true, 1L));
		String member = ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS, new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann", null, false, "v1", UUID.randomUUID().toString())))
				.member().id().value();
		desk.move(POS, new Movement.Earn(member, 1_000L, null, null, TILL, "tx-1", UUID.randomUUID().toString()), false);
		RewardRedemption first = redeem(member);

		scenario.stimulate(() -> redeem(member)).andWaitForEventOfType(RewardStockLow.class)
				.toArriveAndVerify((low, second) -> {
					assertThat(low.programId()).isEqualTo(program);
					assertThat(low.rewardId()).isEqualTo("cinema");
					assertThat(low.remaining()).isEqualTo(1);
					assertThat(low.stock()).isEqualTo(3);
					assertThat(low.at()).isEqualTo(second.redeemedAt());
				});

		scenario.stimulate(() -> redeem(member)).andWaitForEventOfType(RewardRedeemed.class)
				.matching(e -> e.availableAfter() == 400).toArriveAndVerify((redeemed, third) -> {
					assertThat(redeemed.redemptionId()).isEqualTo(third.redemptionId());
					assertThat(redeemed.code()).isEqualTo(third.code()).isNotNull();
					assertThat(redeemed.rewardName()).isEqualTo("Cinema ticket");
					assertThat(redeemed.points()).isEqualTo(200);
					assertThat(redeemed.memberId().value()).isEqualTo(member);
				});

		scenario.stimulate(() -> rewards.refund(ADMIN, first.redemptionId(), "cinema closed"))
				.andWaitForEventOfType(RewardRefunded.class).toArriveAndVerify(refunded -> {
					assertThat(refunded.redemptionId()).isEqualTo(first.redemptionId());
					assertThat(refunded.points()).isEqualTo(200);
					assertThat(refunded.reason()).isEqualTo("cinema closed");
				});
	}

	private RewardRedemption redeem(String member) {
		return ((RedeemingRewards.Outcome.Done<RewardRedemption>) rewards.redeem(POS, member, "cinema", TILL,
				UUID.randomUUID().toString())).value();
	}
}
