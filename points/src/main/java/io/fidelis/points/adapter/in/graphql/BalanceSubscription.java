package io.fidelis.points.adapter.in.graphql;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
 * {@code Subscription.pointsAccount}: the account now, then every change. It reads the store by
 * exact key, so a change written by any node reaches a subscriber on any other node.
 */
@Controller
class BalanceSubscription {

	static final Duration POLL = Duration.ofMillis(250);

	private final ReadingBalances balances;

	BalanceSubscription(ReadingBalances balances) {
		this.balances = balances;
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
		if (!balances.mayRead(caller, member)) {
			throw new NotYours();
		}
		return Flux.interval(Duration.ZERO, POLL, Schedulers.boundedElastic())
				.map(tick -> balances.account(member))
				.filter(Optional::isPresent).map(Optional::get)
				.distinctUntilChanged();
	}

	@GraphQlExceptionHandler
	GraphQLError notYours(NotYours e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.FORBIDDEN)
				.message("Members may only follow their own points").extensions(Map.of("code", "FORBIDDEN")).build();
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
		NotYours() {
			super(null, null, false, false);
		}
	}
}
