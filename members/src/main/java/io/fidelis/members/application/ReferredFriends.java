package io.fidelis.members.application;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;

/**
 * What a member sees of the friends who enrolled with their code: a first name and a day, never
 * an email or an id, and nothing of a friend who left (closed or erased). Kept from the
 * enrollments' events, so a redelivery adds nobody twice.
 */
@Service
public class ReferredFriends {

	private final ReferralList lists;
	private final MemberStore members;

	ReferredFriends(ReferralList lists, MemberStore members) {
		this.lists = lists;
		this.members = members;
	}

	/** A friend as their referrer sees them. @param firstName null once the friend left */
	public record Friend(String key, String firstName, Instant enrolledAt) {
	}

	public void enrolled(MemberEnrolled event) {
		if (event.referredBy() != null) {
			lists.add(event.referredBy(), event.memberId(), event.enrolledAt());
		}
	}

	public void erased(MemberId member) {
		lists.forget(member);
	}

	/** Newest first; names read in one go. */
	public List<Friend> of(MemberId referrer) {
		List<ReferralList.Friend> listed = lists.friends(referrer);
		Map<MemberId, Member> found = members.findAll(listed.stream().map(ReferralList.Friend::id).toList()).stream()
				.collect(Collectors.toMap(Member::id, Function.identity(), (a, b) -> a));
		return listed.stream().sorted(Comparator.comparing(ReferralList.Friend::enrolledAt).reversed()).map(f -> {
			Member m = found.get(f.id());
			String name = m == null || m.status() == MemberStatus.CLOSED ? null : m.name().strip().split("\\s+")[0];
			return new Friend(f.id().value(), name, f.enrolledAt());
		}).toList();
	}
}
