package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;

import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.fidelis.members.MemberId;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.RedeemingRewards;
import io.fidelis.points.application.RewardShelf;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;
import io.fidelis.points.domain.RewardRedemption;

/**
 * A redemption or a refund that stops at any of its steps (the store lost after the write before
 * it, as after a crash) is finished by the request's retry with its key: the points, the unit of
 * stock and the member's place each move once.
 */
class RewardStepsTest extends LedgerFixture {

	@MockitoSpyBean
	RewardShelf shelf;
	@Autowired
	RedeemingRewards rewards;

	RewardStepsTest() {
		super("reward-steps");
	}

	@AfterEach
	void heal() {
		reset(shelf);
	}

	static final RuntimeException LOST = new com.mongodb.MongoSocketReadException("the store went away",
			new com.mongodb.ServerAddress());

	/** A fresh reward (3 units, 1 per member) and a member with 500 points. */
	String[] rewardAndMember() {
		String reward = "coffee-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(rewards.define(STAFF, new Reward(program.value(), reward, "Coffee", null, 150, null, null, 3L, 1, null,
				null, Reward.Fulfilment.GENERATED_CODE, true))).isInstanceOf(RedeemingRewards.Outcome.Done.class);
		String member = member();
		moving.move(POS, new Movement.Earn(member, 500L, null, null, TILL, "tx-" + member, UUID.randomUUID().toString()),
				false);
		return new String[] { reward, member };
	}

	void stopsOnceAt(Consumer<RewardShelf> step) {
		step.accept(doThrow(LOST).doCallRealMethod().when(shelf));
	}

	@Test
	void a_redemption_stopped_at_any_step_is_finished_by_its_retry_once() {
		java.util.Map<String, Consumer<RewardShelf>> steps = new java.util.LinkedHashMap<>();
		steps.put("after the unit was taken, before the redemption recorded it",
				s -> s.advance(argThat(r -> r != null && r.stockTaken() && "CLAIMED".equals(r.state()))));
		steps.put("after the points were taken, before the redemption recorded it",
				s -> s.advance(argThat(r -> r != null && "REDEEMED".equals(r.state()))));
		steps.put("after the redemption was recorded, before the member's list had it",
				s -> s.listFor(anyString(), anyString()));
		steps.put("after the place was held, before the unit was taken",
				s -> s.takeUnit(anyString(), anyString(), anyString()));
		steps.forEach((where, step) -> {
			String[] rm = rewardAndMember();
			String key = UUID.randomUUID().toString();
			stopsOnceAt(step);
			assertThatThrownBy(() -> rewards.redeem(POS, rm[1], rm[0], TILL, key)).as(where).isSameAs(LOST);
			reset(shelf);

			RedeemingRewards.Outcome<RewardRedemption> retried = rewards.redeem(POS, rm[1], rm[0], TILL, key);
			assertThat(retried).as(where).isInstanceOf(RedeemingRewards.Outcome.Done.class);
			RewardRedemption r = ((RedeemingRewards.Outcome.Done<RewardRedemption>) retried).value();
			assertThat(r.status()).isEqualTo(RewardRedemption.Status.REDEEMED);
			assertThat(reading.account(new MemberId(rm[1])).orElseThrow().available()).as("points once: " + where)
					.isEqualTo(350);
			assertThat(rewards.reward(program.value(), rm[0]).orElseThrow().remaining()).as("one unit: " + where).isEqualTo(2);
			assertThat(rewards.redemptionsOf(new MemberId(rm[1]))).as("listed: " + where)
					.extracting(RewardRedemption::redemptionId).containsExactly(r.redemptionId());
			// the one place under the limit is this redemption's
			RedeemingRewards.Outcome<RewardRedemption> second = rewards.redeem(POS, rm[1], rm[0], TILL,
					UUID.randomUUID().toString());
			assertThat(((RedeemingRewards.Outcome.Refused<RewardRedemption>) second).refusal().reason())
					.isEqualTo(Refusal.Reason.CONFLICT);
			assertLedgerHolds(rm[1]);
		});
	}

	@Test
	void a_pool_code_drawn_before_a_stop_is_the_retrys_code_and_no_other_is_lost() {
		String reward = "pool-" + UUID.randomUUID().toString().substring(0, 8);
		rewards.define(STAFF, new Reward(program.value(), reward, "Voucher", null, 10, null, null, null, null, null, null,
				Reward.Fulfilment.POOL, true));
		rewards.importCodes(STAFF, program.value(), reward, "V-0001\nV-0002\n");
		String member = member();
		moving.move(POS, new Movement.Earn(member, 100L, null, null, TILL, "tx-" + member, UUID.randomUUID().toString()),
				false);
		String key = UUID.randomUUID().toString();
		stopsOnceAt(s -> s.advance(argThat(r -> r != null && r.stockTaken() && "CLAIMED".equals(r.state()))));
		assertThatThrownBy(() -> rewards.redeem(POS, member, reward, TILL, key)).isSameAs(LOST);
		reset(shelf);
		RewardRedemption first = ((RedeemingRewards.Outcome.Done<RewardRedemption>) rewards.redeem(POS, member, reward,
				TILL, key)).value();
		RewardRedemption second = ((RedeemingRewards.Outcome.Done<RewardRedemption>) rewards.redeem(POS, member, reward,
				TILL, UUID.randomUUID().toString())).value();
		assertThat(java.util.List.of(first.code(), second.code())).containsExactlyInAnyOrder("V-0001", "V-0002");
		assertThat(rewards.reward(program.value(), reward).orElseThrow().remaining()).isZero();
		assertThat(reading.account(new MemberId(member)).orElseThrow().available()).isEqualTo(80);
	}

	@Test
	void a_refusal_or_a_refund_stopped_half_way_gives_everything_back_once_on_its_retry() {
		// a refusal (not enough points) stopped after it was recorded, before the unit went back
		String[] poor = rewardAndMember();
		moving.move(POS, new Movement.Redeem(poor[1], 400, TILL, "spent", null, UUID.randomUUID().toString()), false);
		String key = UUID.randomUUID().toString();
		stopsOnceAt(s -> s.returnUnit(anyString(), anyString(), anyString(), any()));
		assertThatThrownBy(() -> rewards.redeem(POS, poor[1], poor[0], TILL, key)).isSameAs(LOST);
		reset(shelf);
		RedeemingRewards.Outcome<RewardRedemption> told = rewards.redeem(POS, poor[1], poor[0], TILL, key);
		assertThat(((RedeemingRewards.Outcome.Refused<RewardRedemption>) told).refusal().reason())
				.isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);
		assertThat(rewards.reward(program.value(), poor[0]).orElseThrow().remaining()).as("the unit back once").isEqualTo(3);
		assertThat(reading.account(new MemberId(poor[1])).orElseThrow().available()).isEqualTo(100);

		// a refund stopped after the points came back, before the unit did; then after the unit, before it was recorded
		String[] rm = rewardAndMember();
		RewardRedemption r = ((RedeemingRewards.Outcome.Done<RewardRedemption>) rewards.redeem(POS, rm[1], rm[0], TILL,
				UUID.randomUUID().toString())).value();
		stopsOnceAt(s -> s.returnUnit(anyString(), anyString(), anyString(), any()));
		assertThatThrownBy(() -> rewards.refund(STAFF, r.redemptionId(), "broken")).isSameAs(LOST);
		reset(shelf);
		stopsOnceAt(s -> s.advance(argThat(x -> x != null && "REFUNDED".equals(x.state()))));
		assertThatThrownBy(() -> rewards.refund(STAFF, r.redemptionId(), "broken")).isSameAs(LOST);
		reset(shelf);
		RedeemingRewards.Outcome<RewardRedemption> refunded = rewards.refund(STAFF, r.redemptionId(), "broken");
		assertThat(((RedeemingRewards.Outcome.Done<RewardRedemption>) refunded).value().status())
				.isEqualTo(RewardRedemption.Status.REFUNDED);
		assertThat(reading.account(new MemberId(rm[1])).orElseThrow().available()).as("points back once").isEqualTo(500);
		assertThat(rewards.reward(program.value(), rm[0]).orElseThrow().remaining()).as("the unit back once").isEqualTo(3);
		assertThat(rewards.redeem(POS, rm[1], rm[0], TILL, UUID.randomUUID().toString()))
				.as("the place back: the member may redeem it again").isInstanceOf(RedeemingRewards.Outcome.Done.class);
		assertLedgerHolds(rm[1]);
	}

	void assertLedgerHolds(String member) {
		var account = reading.account(new MemberId(member)).orElseThrow();
		var all = reading.history(account, null, Integer.MAX_VALUE, new io.fidelis.points.application.AccountStore.HistoryFilter(
				java.util.EnumSet.allOf(io.fidelis.points.domain.EntryType.class), null, null)).entries();
		assertThat(all).hasSize((int) account.version());
		assertThat(all.stream().mapToLong(io.fidelis.points.domain.Entry::availableDelta).sum()).isEqualTo(account.available());
	}
}
