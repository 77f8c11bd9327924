package io.fidelis.points.adapter.in.graphql;

import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.domain.PointsAccount;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code Subscription.pointsAccount}: the account now, then every change, made on this node or
 * any other: {@link LiveBalances} hears of changes from the balance feed, so a subscriber costs
 * nothing while their balance stays put.
 */
@Controller
class BalanceSubscription {

	private final ReadingBalances balances;
	private final LiveBalances live;

	BalanceSubscription(ReadingBalances balances, LiveBalances live) {
		this.balances = balances;
		this.live = live;
	}

	// checked here rather than with @PreAuthorize: on a method returning a publisher, method
	// security would look for a reactive security context, which a servlet node does not have
	@SubscriptionMapping
	Flux<PointsAccount> pointsAccount(@Argument String memberId, @AuthenticationPrincipal Caller caller) {
		if (caller == null) {
			throw new AuthenticationCredentialsNotFoundException("Unauthorized");
		}
		MemberId member;
		try {
			member = new MemberId(memberId);
		}
		catch (IllegalArgumentException e) {
			throw new BadMemberId(e.getMessage());
		}
		balances.refusal(caller, member).ifPresent(reason -> {
			throw new NotYours(reason);
		});
		return Flux.<PointsAccount>create(sink -> {
			// newer versions only: the first read and a change heard meanwhile may arrive in either order
			java.util.concurrent.atomic.AtomicLong shown = new java.util.concurrent.atomic.AtomicLong(-1);
			java.util.function.Consumer<PointsAccount> show = account -> {
				synchronized (shown) {
					if (account.version() > shown.get()) {
						shown.set(account.version());
						sink.next(account);
					}
				}
			};
			// followed before the first read, so that no change falls between the two
			sink.onDispose(live.follow(member.value(), show)::run);
			try {
				balances.account(member).ifPresent(show);
			}
			catch (RuntimeException e) {
				sink.error(e);
			}
		}, reactor.core.publisher.FluxSink.OverflowStrategy.LATEST) // a slow client gets the newest balance, not a queue
				.subscribeOn(Schedulers.boundedElastic());
	}

	@GraphQlExceptionHandler
	GraphQLError notYours(NotYours e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.FORBIDDEN)
				.message(e.getMessage()).extensions(Map.of("code", "FORBIDDEN")).build();
	}

	@GraphQlExceptionHandler
	GraphQLError badMemberId(BadMemberId e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", "memberId")).build();
	}

	static final class BadMemberId extends RuntimeException {
		BadMemberId(String message) {
			super(message, null, false, false);
		}
	}

	static final class NotYours extends RuntimeException {
		NotYours(String reason) {
			super(reason, null, false, false);
		}
	}
}
