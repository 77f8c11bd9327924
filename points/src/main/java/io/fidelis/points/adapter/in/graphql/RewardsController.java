package io.fidelis.points.adapter.in.graphql;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberProfile;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.application.RedeemingRewards;
import io.fidelis.points.application.RewardShelf;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;
import io.fidelis.points.domain.RewardRedemption;

/** The rewards catalog: {@code rewards}, {@code defineReward}, {@code redeemCatalogReward}, refunds and {@code Member.rewardRedemptions}. */
@Controller
class RewardsController {

	private final RedeemingRewards rewards;
	private final ReadingBalances balances;
	private final Clock clock;

	RewardsController(RedeemingRewards rewards, ReadingBalances balances, Clock clock) {
		this.rewards = rewards;
		this.balances = balances;
		this.clock = clock;
	}

	record DefineRewardInput(String programId, String rewardId, String name, String description, Long points,
			BigDecimal cashAmount, Currency cashCurrency, Long stock, Integer perMemberLimit, Instant validFrom,
			Instant validUntil, Reward.Fulfilment fulfilment, Boolean active, Long lowStockAt) {
	}

	record RedeemCatalogRewardInput(String memberId, String rewardId, PointsMutations.SourceInput source, String idempotencyKey) {
	}

	record RefundRewardRedemptionInput(String redemptionId, String reason) {
	}

	record ImportRewardCodesInput(String programId, String rewardId, String codes) {
	}

	/** The schema's {@code Reward}: the definition, the units left and whether it can be redeemed now. */
	record RewardView(String id, String programId, String name, String description, long points, BigDecimal cashAmount,
			Currency cashCurrency, Long stock, Long remaining, Integer perMemberLimit, Long lowStockAt, Instant validFrom,
			Instant validUntil, Reward.Fulfilment fulfilment, boolean active, boolean availableNow) {

		static RewardView of(RewardShelf.Shelved shelved, Instant now) {
			Reward r = shelved.reward();
			return new RewardView(r.rewardId(), r.programId(), r.name(), r.description(), r.points(), r.cashAmount(),
					r.cashCurrency() == null ? null : Currency.getInstance(r.cashCurrency()), r.stock(), shelved.remaining(),
					r.perMemberLimit(), r.lowStockAt(), r.validFrom(), r.validUntil(), r.fulfilment(), r.active(),
					r.unavailableAt(now) == null);
		}
	}

	/** The schema's {@code RewardRedemption}. */
	record RedemptionView(String id, String programId, String rewardId, String memberId, long points, String code,
			RewardRedemption.Status status, Instant redeemedAt, Instant refundedAt, String refundReason,
			long availableAfter) {

		static RedemptionView of(RewardRedemption r) {
			return new RedemptionView(r.redemptionId(), r.programId(), r.rewardId(), r.memberId(), r.points(), r.code(),
					r.status(), r.redeemedAt(), r.refundedAt(), r.refundReason(), r.availableAfter());
		}
	}

	record DefineRewardPayload(RewardView reward) {
	}

	record RedeemCatalogRewardPayload(RedemptionView redemption, boolean replayed) {
	}

	record RefundRewardRedemptionPayload(RedemptionView redemption, boolean replayed) {
	}

	@QueryMapping
	@PreAuthorize("isAuthenticated()")
	List<RewardView> rewards(@Argument String programId, @Argument Boolean includeUnavailable,
			@AuthenticationPrincipal Caller caller) {
		Instant now = clock.instant();
		return done(rewards.catalog(caller, programId, Boolean.TRUE.equals(includeUnavailable))).value().stream()
				.map(s -> RewardView.of(s, now)).toList();
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	RedeemingRewards.Report rewardReport(@Argument String programId, @Argument java.time.LocalDate from,
			@Argument java.time.LocalDate to, @AuthenticationPrincipal Caller caller) {
		return rewards.report(caller, programId, from, to).orElse(null);
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	DefineRewardPayload defineReward(@Argument DefineRewardInput input, @AuthenticationPrincipal Caller caller) {
		Reward reward = new Reward(input.programId(), input.rewardId(), input.name(), input.description(),
				input.points() == null ? 0 : input.points(), input.cashAmount(),
				input.cashCurrency() == null ? null : input.cashCurrency().getCurrencyCode(), input.stock(),
				input.perMemberLimit(), input.validFrom(), input.validUntil(), input.fulfilment(),
				!Boolean.FALSE.equals(input.active()), input.lowStockAt());
		return new DefineRewardPayload(RewardView.of(done(rewards.define(caller, reward)).value(), clock.instant()));
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	RewardShelf.Imported importRewardCodes(@Argument ImportRewardCodesInput input, @AuthenticationPrincipal Caller caller) {
		return done(rewards.importCodes(caller, input.programId(), input.rewardId(), input.codes())).value();
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write') or hasRole('MEMBER')")
	RedeemCatalogRewardPayload redeemCatalogReward(@Argument RedeemCatalogRewardInput input, @AuthenticationPrincipal Caller caller) {
		RedeemingRewards.Outcome.Done<RewardRedemption> done = done(rewards.redeem(caller, input.memberId(),
				input.rewardId(), input.source().toSource(), input.idempotencyKey()));
		return new RedeemCatalogRewardPayload(RedemptionView.of(done.value()), done.replayed());
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write') or hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	RefundRewardRedemptionPayload refundRewardRedemption(@Argument RefundRewardRedemptionInput input,
			@AuthenticationPrincipal Caller caller) {
		RedeemingRewards.Outcome.Done<RewardRedemption> done = done(
				rewards.refund(caller, input.redemptionId(), input.reason()));
		return new RefundRewardRedemptionPayload(RedemptionView.of(done.value()), done.replayed());
	}

	@SchemaMapping(typeName = "Member", field = "rewardRedemptions")
	io.fidelis.members.ListConnection<RedemptionView> rewardRedemptions(MemberProfile member, @Argument Integer first,
			@Argument String after, @AuthenticationPrincipal Caller caller) {
		Optional<String> refused = caller == null ? Optional.of("Reading a member's rewards needs a caller")
				: balances.refusal(caller, member.memberId(), member.programId());
		if (refused.isPresent()) {
			throw new Refused(new Refusal(Refusal.Reason.FORBIDDEN, refused.get()));
		}
		return io.fidelis.members.ListConnection.of(rewards.redemptionsOf(member.memberId()).stream().map(RedemptionView::of)
				.toList(), RedemptionView::id, first, after, io.fidelis.points.domain.InvalidPoints::new);
	}

	@SchemaMapping(typeName = "RewardRedemption", field = "reward")
	RewardView reward(RedemptionView redemption) {
		return rewards.reward(redemption.programId(), redemption.rewardId()).map(s -> RewardView.of(s, clock.instant()))
				.orElse(null);
	}

	private static <T> RedeemingRewards.Outcome.Done<T> done(RedeemingRewards.Outcome<T> outcome) {
		if (outcome instanceof RedeemingRewards.Outcome.Refused<T> refused) {
			throw new Refused(refused.refusal());
		}
		return (RedeemingRewards.Outcome.Done<T>) outcome;
	}
}
