package io.fidelis.points.adapter.in.graphql;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.stereotype.Controller;

import io.fidelis.members.MemberProfile;
import io.fidelis.points.application.OpeningAccounts;
import io.fidelis.points.domain.PointsAccount;

/**
 * Adds {@code Member.points}. Batched: a list of members costs one query. Whoever could read
 * the member may read their balance.
 */
@Controller
class MemberPoints {

	private final OpeningAccounts accounts;

	MemberPoints(OpeningAccounts accounts) {
		this.accounts = accounts;
	}

	@BatchMapping(typeName = "Member", field = "points")
	Map<MemberProfile, PointsAccount> points(List<MemberProfile> members) {
		Map<String, PointsAccount> found = accounts.accounts(members.stream().map(m -> m.memberId().value()).toList());
		return members.stream().distinct().filter(m -> found.containsKey(m.memberId().value()))
				.collect(Collectors.toMap(Function.identity(), m -> found.get(m.memberId().value())));
	}
}
