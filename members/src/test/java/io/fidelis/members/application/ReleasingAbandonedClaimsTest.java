package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.application.EnrollingMembers.Outcome;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;

/**
 * An enrollment that stops between its claims and its member (the node killed) leaves claims whose
 * owner never came into existence; long after, the sweep gives them back, and only those.
 */
class ReleasingAbandonedClaimsTest {

	/** A store that dies once, after the claims of the next enrollment and before its member. */
	static final class DyingStore extends InMemoryMemberStore {
		boolean dieBeforeMembers;

		@Override
		public void insert(Member member) {
			die();
			super.insert(member);
		}

		@Override
		public void insertAll(List<Member> members) {
			die();
			super.insertAll(members);
		}

		private void die() {
			if (dieBeforeMembers) {
				dieBeforeMembers = false;
				throw new IllegalStateException("killed between the claims and the member");
			}
		}
	}

	final EnrollingMembersTest fixture = new EnrollingMembersTest();
	final DyingStore members = new DyingStore();
	final List<Object> published = new ArrayList<>();
	EnrollingMembers enrolling;
	ReleasingAbandonedClaims sweeping;

	@BeforeEach
	void setUp() {
		enrolling = fixture.enrollingInto(members, new InMemoryNameIndex(), published);
		sweeping = new ReleasingAbandonedClaims(members, fixture.clock, Duration.ofMinutes(10));
	}

	private MemberId crashedEnrollment(String key) {
		members.dieBeforeMembers = true;
		assertThatThrownBy(() -> enrolling.enrollAll(EnrollingMembersTest.POS, List.of(EnrollingMembersTest.alice(key))))
				.hasMessageContaining("killed");
		return members.held(IdentityClaim.email(EnrollingMembersTest.ACME, new EmailAddress("alice@example.com")))
				.orElseThrow().owner();
	}

	@Test
	void theClaimsOfAnEnrollmentThatStoppedAreGivenBackLongAfterAndOnlyThose() {
		MemberId orphan = crashedEnrollment("key-00000001");
		Outcome bob = enrolling.enroll(EnrollingMembersTest.POS, new EnrollMember(EnrollingMembersTest.ACME,
				new EmailAddress("bob@example.com"), "Bob", null, true, "v1", "key-00000002"));
		int held = members.claims.size();

		fixture.clock.advance(Duration.ofMinutes(5));
		assertThat(sweeping.sweep().claims()).as("too soon: the enrollment may still be under way").isZero();
		assertThat(members.claims).hasSize(held);

		fixture.clock.advance(Duration.ofMinutes(6));
		ReleasingAbandonedClaims.Swept swept = sweeping.sweep();

		// the key, the email, the phone, the card number and its digest of the orphan; Bob's all stay
		assertThat(swept.enrollments()).isEqualTo(1);
		assertThat(swept.claims()).isEqualTo(5);
		assertThat(members.claims.values()).noneMatch(c -> c.ownedBy(orphan));
		Member stored = ((Outcome.Enrolled) bob).member();
		assertThat(members.claims.values()).filteredOn(c -> c.ownedBy(stored.id())).hasSize(4); // no phone
		assertThat(members.pending).as("swept batches are forgotten").isEmpty();
		assertThat(sweeping.sweep().claims()).as("a minute is swept once").isZero();

		// the person enrolls at once, as someone new, with no wait for a take-over
		Outcome again = enrolling.enroll(EnrollingMembersTest.POS, EnrollingMembersTest.alice("key-00000003"));
		assertThat(again).isInstanceOf(Outcome.Enrolled.class);
		assertThat(((Outcome.Enrolled) again).member().id()).isNotEqualTo(orphan);
	}

	@Test
	void aRetryThatStoredTheMemberWhileItsClaimsWereGivenBackGetsThemAgain() {
		MemberId orphan = crashedEnrollment("key-00000001");
		fixture.clock.advance(Duration.ofMinutes(11));
		assertThat(sweeping.sweep().claims()).isEqualTo(5);

		// a retry had read the key just before the sweep and stored the member just after it
		Member resumed = MemberStoreContract.member(orphan.value(), "alice@example.com");
		members.insert(resumed);

		ReleasingAbandonedClaims.Swept next = sweeping.sweep();
		assertThat(next.restored()).isEqualTo(5);
		assertThat(members.held(IdentityClaim.email(EnrollingMembersTest.ACME, new EmailAddress("alice@example.com"))))
				.hasValueSatisfying(c -> assertThat(c.ownedBy(orphan)).isTrue());
		assertThat(members.held(IdentityClaim.idempotencyKey(EnrollingMembersTest.POS.key(), "key-00000001")))
				.hasValueSatisfying(c -> assertThat(c.fingerprint())
						.isEqualTo(EnrollingMembersTest.alice("key-00000001").fingerprint()));
		assertThat(sweeping.sweep().restored()).as("looked at once").isZero();
	}

	@Test
	void aStoreWithNothingPendingIsSweptInNoTime() {
		assertThat(sweeping.sweep()).isEqualTo(new ReleasingAbandonedClaims.Swept(0, 0, 0, 0));
	}
}
