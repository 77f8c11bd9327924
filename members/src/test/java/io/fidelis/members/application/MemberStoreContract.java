package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.MemberStore.HeldClaim;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.PhoneNumber;

/**
 * What every {@link MemberStore} must do, run against the in-memory double, the embedded server
 * and (where Docker exists) a real MongoDB.
 */
public abstract class MemberStoreContract {

	protected abstract MemberStore store();

	/** Another node's store on the same data (the same store where there is only one). */
	protected MemberStore anotherNode() {
		return store();
	}

	private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");

	protected static Member member(String id, String email) {
		return new Member(new MemberId(id), new ProgramId("acme"), new EmailAddress(email), "Alice Martin",
				new PhoneNumber("+33612345678"), "crm-" + id, CardNumber.generate(new java.util.Random(id.hashCode())),
				MemberStatus.ACTIVE, new Consent(true, "v2", AT), EnrollmentChannel.INTEGRATION, "client:pos-1", "sub-1",
				AT, 1);
	}

	@Test
	public void aMemberReadsBackExactlyAsWritten() {
		Member alice = member("m_alice", "alice@example.com");
		store().insert(alice);
		assertThat(store().find(alice.id())).contains(alice);
		assertThat(store().find(new MemberId("m_nobody"))).isEmpty();
	}

	@Test
	public void aReferredMemberKeepsTheirReferrerThroughChanges() {
		Member m = member("m_referred", "referred@example.com");
		Member referred = new Member(m.id(), m.programId(), m.email(), m.name(), m.phone(), m.externalId(), m.cardNumber(),
				m.status(), m.consent(), m.channel(), m.enrolledBy(), m.subject(), m.enrolledAt(), 1, null,
				new MemberId("m_alice"));
		store().insert(referred);
		assertThat(store().find(referred.id())).contains(referred);
		Member renamed = referred.withProfile("Renamed", null, null, null);
		assertThat(store().update(1, renamed)).isTrue();
		assertThat(store().find(referred.id()).orElseThrow().referredBy()).isEqualTo(new MemberId("m_alice"));
	}

	@Test
	public void insertingTheSameMemberAgainChangesNothing() {
		Member alice = member("m_alice2", "alice2@example.com");
		store().insert(alice);
		store().insert(alice);
		assertThat(store().findAll(List.of(alice.id(), alice.id()))).containsExactly(alice);
	}

	@Test
	public void aMemberChangesOnlyFromTheVersionItWasReadAt() {
		Member alice = member("m_alice3", "alice3@example.com");
		store().insert(alice);
		Member renamed = alice.withProfile("Alice B. Martin", null, null, null);
		assertThat(store().update(1, renamed)).isTrue();
		assertThat(store().update(1, alice.withProfile("Stale", null, null, null))).isFalse();
		assertThat(store().find(alice.id())).contains(renamed);
		assertThat(renamed.version()).isEqualTo(2);
	}

	@Test
	public void manyMembersAreReadInOneGo() {
		Member a = member("m_a", "a@example.com");
		Member b = member("m_b", "b@example.com");
		store().insert(a);
		store().insert(b);
		assertThat(store().findAll(List.of(a.id(), b.id(), new MemberId("m_missing")))).containsExactlyInAnyOrder(a, b);
		assertThat(store().findAll(List.of())).isEmpty();
	}

	@Test
	public void manyClaimsAreTakenTogetherEachByItsFirstClaimant() {
		IdentityClaim held = new IdentityClaim("email|acme|held@example.com");
		store().claim(held, new MemberId("m_earlier"), "f0", AT);
		IdentityClaim free = new IdentityClaim("email|acme|free@example.com");
		IdentityClaim twice = new IdentityClaim("phone|acme|+33600000000");

		List<HeldClaim> answered = store().claimAll(List.of(new MemberStore.Claiming(free, new MemberId("m_1"), "f1"),
				new MemberStore.Claiming(held, new MemberId("m_1"), "f1"),
				new MemberStore.Claiming(twice, new MemberId("m_1"), "f1"),
				new MemberStore.Claiming(twice, new MemberId("m_2"), "f2")), AT.plusSeconds(5));

		assertThat(answered).extracting(HeldClaim::owner).containsExactly(new MemberId("m_1"), new MemberId("m_earlier"),
				new MemberId("m_1"), new MemberId("m_1"));
		assertThat(answered.get(1).fingerprint()).isEqualTo("f0");
		assertThat(answered.get(1).claimedAt()).isEqualTo(AT);
		assertThat(store().held(free)).hasValueSatisfying(h -> assertThat(h.ownedBy(new MemberId("m_1"))).isTrue());
		assertThat(store().held(twice)).hasValueSatisfying(h -> assertThat(h.fingerprint()).isEqualTo("f1"));
		assertThat(store().claimAll(List.of(), AT)).isEmpty();
	}

	@Test
	public void manyMembersAreInsertedTogetherAndAgainWithoutChange() {
		Member a = member("m_bulk_a", "bulk-a@example.com");
		Member b = member("m_bulk_b", "bulk-b@example.com");
		store().insert(a);

		store().insertAll(List.of(a, b));
		store().insertAll(List.of(b));

		assertThat(store().findAll(List.of(a.id(), b.id()))).containsExactlyInAnyOrder(a, b);
	}

	@Test
	public void aClaimBelongsToTheFirstClaimantOnly() {
		IdentityClaim email = new IdentityClaim("email|acme|first@example.com");
		HeldClaim first = store().claim(email, new MemberId("m_1"), "f1", AT);
		HeldClaim second = store().claim(email, new MemberId("m_2"), "f2", AT.plusSeconds(1));
		assertThat(first.ownedBy(new MemberId("m_1"))).isTrue();
		assertThat(second).isEqualTo(new HeldClaim(email, new MemberId("m_1"), "f1", AT));
		assertThat(store().held(email)).contains(first);
	}

	@Test
	public void onlyTheHolderCanReleaseAClaim() {
		IdentityClaim email = new IdentityClaim("email|acme|release@example.com");
		store().claim(email, new MemberId("m_1"), "f1", AT);
		assertThat(store().release(email, new MemberId("m_2"))).isFalse();
		assertThat(store().held(email)).isPresent();
		assertThat(store().release(email, new MemberId("m_1"))).isTrue();
		assertThat(store().held(email)).isEmpty();
		assertThat(store().release(email, new MemberId("m_1"))).isFalse();
		assertThat(store().claim(email, new MemberId("m_2"), "f2", AT).ownedBy(new MemberId("m_2"))).isTrue();
	}

	@Test
	public void claimBatchesAreFoundAgainMinuteByMinuteOnceTheirMinuteIsPast() {
		Instant minute = Instant.parse("2026-11-27T10:15:00Z");
		MemberStore.Claiming a = new MemberStore.Claiming(new IdentityClaim("request|pos|k-a"), new MemberId("m_a"), "fa");
		MemberStore.Claiming aEmail = new MemberStore.Claiming(new IdentityClaim("email|acme|a@example.com"),
				new MemberId("m_a"), "fa");
		MemberStore.Claiming b = new MemberStore.Claiming(new IdentityClaim("email|acme|b@example.com"), new MemberId("m_b"), "fb");
		MemberStore.Claiming c = new MemberStore.Claiming(new IdentityClaim("email|acme|c@example.com"), new MemberId("m_c"), "fc");
		store().claimAll(List.of(a, aEmail), minute.plusSeconds(3));
		anotherNode().claimAll(List.of(b), minute.plusSeconds(59));
		store().claimAll(List.of(c), minute.plusSeconds(61));

		assertThat(store().nextPendingMinute(minute.plusSeconds(59))).as("the minute is not over").isEmpty();
		MemberStore.PendingMinute first = store().nextPendingMinute(minute.plusSeconds(600)).orElseThrow();
		assertThat(first.minute()).isEqualTo(minute.getEpochSecond() / 60);
		assertThat(first.batches()).extracting(MemberStore.PendingClaims::claims)
				.containsExactlyInAnyOrder(List.of(a, aEmail), List.of(b));
		// not swept yet: asked again, the same minute
		assertThat(store().nextPendingMinute(minute.plusSeconds(600))).contains(first);

		store().minuteSwept(first);
		MemberStore.PendingMinute second = anotherNode().nextPendingMinute(minute.plusSeconds(600)).orElseThrow();
		assertThat(second.minute()).isEqualTo(first.minute() + 1);
		assertThat(second.batches()).extracting(MemberStore.PendingClaims::claims).containsExactly(List.of(c));
		anotherNode().minuteSwept(second);
		assertThat(store().nextPendingMinute(minute.plusSeconds(6000))).isEmpty();
		// the claims themselves are untouched: the sweep decides what to give back
		assertThat(store().held(b.claim())).isPresent();
	}

	@Test
	public void anOwnerIsTakenOutOfTheBatchesItWroteAndOnlyItsBatches() {
		Instant minute = Instant.parse("2026-11-27T12:00:00Z");
		MemberStore.Claiming erased = new MemberStore.Claiming(new IdentityClaim("email|acme|gone@example.com"),
				new MemberId("m_gone"), "fg");
		MemberStore.Claiming stays = new MemberStore.Claiming(new IdentityClaim("email|acme|stays@example.com"),
				new MemberId("m_stays"), "fs");
		MemberStore.Claiming alone = new MemberStore.Claiming(new IdentityClaim("phone|acme|+33600000001"),
				new MemberId("m_gone"), "fg");
		store().claimAll(List.of(erased, stays), minute.plusSeconds(1));
		anotherNode().claimAll(List.of(alone), minute.plusSeconds(2));

		store().forgetPending(new MemberId("m_gone"), minute.plusSeconds(30));

		assertThat(store().nextPendingMinute(minute.plusSeconds(600)).orElseThrow().batches())
				.extracting(MemberStore.PendingClaims::claims).containsExactly(List.of(stays));
		store().forgetPending(new MemberId("m_nobody"), minute.plusSeconds(3600)); // no batch then: nothing to do
	}

	@Test
	public void everyBatchOfABusyMinuteIsFound() {
		Instant minute = Instant.parse("2026-11-27T11:00:00Z");
		for (int i = 0; i < 300; i++) {
			store().claimAll(List.of(new MemberStore.Claiming(new IdentityClaim("email|acme|busy-" + i + "@example.com"),
					new MemberId("m_busy_" + i), "f")), minute.plusMillis(i));
		}
		assertThat(store().nextPendingMinute(minute.plusSeconds(60)).orElseThrow().batches()).hasSize(300);
	}

	@Test
	public void aClaimIsTakenOverOnlyFromTheOwnerNamed() {
		IdentityClaim email = new IdentityClaim("email|acme|stale@example.com");
		store().claim(email, new MemberId("m_stale"), "f1", AT);
		assertThat(store().takeOver(email, new MemberId("m_other"), new MemberId("m_new"), "f2", AT)).isFalse();
		assertThat(store().takeOver(email, new MemberId("m_stale"), new MemberId("m_new"), "f2", AT)).isTrue();
		assertThat(store().held(email).orElseThrow().owner()).isEqualTo(new MemberId("m_new"));
		assertThat(store().takeOver(email, new MemberId("m_stale"), new MemberId("m_third"), "f3", AT)).isFalse();
	}
}
