package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;

/** What a referrer sees of their friends: first names, newest first, nothing of a friend who left. */
class ReferredFriendsTest {

	static final ProgramId ACME = new ProgramId("acme");

	final InMemoryMemberStore members = new InMemoryMemberStore();
	final Map<MemberId, Set<ReferralList.Friend>> lists = new ConcurrentHashMap<>();
	final ReferredFriends friends = new ReferredFriends(new ReferralList() {
		public void add(MemberId referrer, MemberId friend, Instant at) {
			lists.computeIfAbsent(referrer, r -> new LinkedHashSet<>()).add(new ReferralList.Friend(friend, at));
		}

		public List<Friend> friends(MemberId referrer) {
			return new ArrayList<>(lists.getOrDefault(referrer, Set.of()));
		}

		public void forget(MemberId referrer) {
			lists.remove(referrer);
		}
	}, members);

	Member stored(String id, String name, Instant at) {
		Member m = MemberStoreContract.member(id, id + "@example.com");
		Member named = new Member(m.id(), ACME, m.email(), name, m.phone(), null, m.cardNumber(), m.status(), m.consent(),
				m.channel(), m.enrolledBy(), m.subject(), at, 1, null, new MemberId("m_ann"));
		members.insert(named);
		return named;
	}

	MemberEnrolled enrolled(Member m) {
		return new MemberEnrolled(m.id(), ACME, EnrollmentChannel.INTEGRATION, m.enrolledAt(), m.referredBy());
	}

	@Test
	void a_referrer_sees_first_names_newest_first_and_nothing_of_a_friend_who_left() {
		Instant at = Instant.parse("2026-12-07T10:00:00Z");
		Member bob = stored("m_bob", "  Bob   Martin ", at);
		Member cid = stored("m_cid", "Cid", at.plusSeconds(60));
		Member dan = stored("m_dan", "Dan Brown", at.plusSeconds(120));
		for (Member m : List.of(bob, cid, dan, bob)) {
			friends.enrolled(enrolled(m));
		}
		friends.enrolled(new MemberEnrolled(new MemberId("m_eve"), ACME, EnrollmentChannel.INTEGRATION, at, null));
		members.update(1, dan.becoming(MemberStatus.CLOSED).orElseThrow());

		assertThat(friends.of(new MemberId("m_ann"))).extracting(ReferredFriends.Friend::firstName)
				.containsExactly(null, "Cid", "Bob");
		assertThat(friends.of(new MemberId("m_ann"))).extracting(ReferredFriends.Friend::enrolledAt)
				.containsExactly(at.plusSeconds(120), at.plusSeconds(60), at);
		assertThat(lists).as("an enrollment that named nobody lists nothing").containsOnlyKeys(new MemberId("m_ann"));

		friends.erased(new MemberId("m_ann"));
		assertThat(friends.of(new MemberId("m_ann"))).isEmpty();
	}
}
