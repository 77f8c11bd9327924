package io.fidelis.points.adapter.in.graphql;

import java.math.BigDecimal;
import java.util.Currency;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.points.application.MovementDesk;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.Source;

/** The points mutations. Who may call each is stated on it; members are further held to their own account. */
@Controller
class PointsMutations {

	private final MovementDesk desk;

	PointsMutations(MovementDesk desk) {
		this.desk = desk;
	}

	record SourceInput(Channel channel, String region, String store, String partner, String externalReference) {
		Source toSource() {
			return new Source(channel, region, store, partner, externalReference);
		}
	}

	record EarnPointsInput(String memberId, Long points, BigDecimal amount, Currency currency, SourceInput source,
			String transactionId, String idempotencyKey, Boolean dryRun) {
	}

	record RedeemPointsInput(String memberId, Long points, SourceInput source, String reason, String transactionId,
			String idempotencyKey, Boolean dryRun) {
	}

	record AdjustPointsInput(String memberId, Long points, String reason, String idempotencyKey) {
	}

	record ReverseTransactionInput(String memberId, String transactionId, Long points, String reason,
			String idempotencyKey) {
	}

	record TransferPointsInput(String fromMemberId, String toMemberId, Long points, String reason,
			String idempotencyKey) {
	}

	record PointsMovementPayload(Entry entry, boolean replayed, boolean dryRun) {
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	PointsMovementPayload earnPoints(@Argument EarnPointsInput input, @AuthenticationPrincipal Caller caller) {
		Movement earn = new Movement.Earn(input.memberId(), input.points(), input.amount(),
				input.currency() == null ? null : input.currency().getCurrencyCode(),
				input.source().toSource(), input.transactionId(), input.idempotencyKey());
		return payload(desk.move(caller, earn, Boolean.TRUE.equals(input.dryRun())));
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write') or hasRole('MEMBER')")
	PointsMovementPayload redeemPoints(@Argument RedeemPointsInput input, @AuthenticationPrincipal Caller caller) {
		Movement redeem = new Movement.Redeem(input.memberId(), input.points(), input.source().toSource(),
				input.reason(), input.transactionId(), input.idempotencyKey());
		return payload(desk.move(caller, redeem, Boolean.TRUE.equals(input.dryRun())));
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	PointsMovementPayload adjustPoints(@Argument AdjustPointsInput input, @AuthenticationPrincipal Caller caller) {
		return payload(desk.move(caller,
				new Movement.Adjust(input.memberId(), input.points(), input.reason(), input.idempotencyKey()), false));
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	PointsMovementPayload reverseTransaction(@Argument ReverseTransactionInput input,
			@AuthenticationPrincipal Caller caller) {
		return payload(desk.move(caller, new Movement.Reverse(input.memberId(), input.transactionId(), input.points(),
				input.reason(), input.idempotencyKey()), false));
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	PointsMovementPayload transferPoints(@Argument TransferPointsInput input, @AuthenticationPrincipal Caller caller) {
		return payload(desk.move(caller, new Movement.Transfer(input.fromMemberId(), input.toMemberId(),
				input.points(), input.reason(), input.idempotencyKey()), false));
	}

	private static PointsMovementPayload payload(Moved moved) {
		if (moved instanceof Moved.Refused refused) {
			throw new Refused(refused.refusal());
		}
		Moved.Done done = (Moved.Done) moved;
		return new PointsMovementPayload(done.entry(), done.replayed(), done.dryRun());
	}
}
