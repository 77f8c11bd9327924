package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.ManagingMembers.Identifier;
import io.fidelis.members.application.ManagingMembers.Outcome;
import io.fidelis.members.application.ManagingMembers.UpdateProfile;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.PhoneNumber;

class ManagingMembersTest {

	static final Caller STAFF = new Caller.Staff("ops", Set.of("admin"));

	final InMemoryMemberStore store = new InMemoryMemberStore();
	final List<Object> published = new ArrayList<>();
	final InMemoryNameIndex names = new InMemoryNameIndex();
	final ManagingMembers managing = new ManagingMembers(store, names, published::add,
			Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));
	final ProgramId acme = new ProgramId("acme");
	final Member alice = enrolled("m_alice", "alice@example.com", "alice-sub");
	final Member bob = enrolled("m_bob", "bob@example.com", "bob-sub");
	final Caller staff = new Caller.Staff("ops", Set.of("support"));

	Member enrolled(String id, String email, String subject) {
		Member m = MemberStoreContract.member(id, email);
		m = new Member(m.id(), m.programId(), m.email(), m.name(), null, m.externalId(), m.cardNumber(), m.status(),
				m.consent(), m.channel(), m.enrolledBy(), subject, m.enrolledAt(), 1);
		store.insert(m);
		store.claim(IdentityClaim.email(acme, m.email()), m.id(), "f", Instant.EPOCH);
		store.claim(IdentityClaim.card(acme, m.cardNumber()), m.id(), "f", Instant.EPOCH);
		store.claim(IdentityClaim.externalId(acme, m.externalId()), m.id(), "f", Instant.EPOCH);
		return m;
	}

	@Test
	void aMemberChangesTheirEmailAndTheOldOneIsFreed() {
		Outcome outcome = managing.updateProfile(new Caller.Member("alice-sub"), new UpdateProfile(alice.id(), null,
				new EmailAddress("alice.new@example.com"), new PhoneNumber("+33611111111"), false, "v3"));

		Member after = ((Outcome.Changed) outcome).member();
		assertThat(after.email().value()).isEqualTo("alice.new@example.com");
		assertThat(after.consent().termsVersion()).isEqualTo("v3");
		assertThat(after.consent().recordedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
		assertThat(after.version()).isEqualTo(2);
		assertThat(managing.lookUp(acme, new Identifier.ByEmail(new EmailAddress("alice.new@example.com")))).contains(after);
		assertThat(managing.lookUp(acme, new Identifier.ByEmail(new EmailAddress("alice@example.com")))).isEmpty();
		assertThat(managing.lookUp(acme, new Identifier.ByPhone(new PhoneNumber("+33611111111")))).contains(after);
	}

	@Test
	void anotherMembersEmailIsRefusedAndNothingChanges() {
		Outcome outcome = managing.updateProfile(staff,
				new UpdateProfile(alice.id(), "Alice", new EmailAddress("bob@example.com"), null, null, null));

		assertThat(((Outcome.Refused) outcome).refusal().reason()).isEqualTo(Refusal.Reason.CONFLICT);
		assertThat(store.find(alice.id())).contains(alice);
	}

	@Test
	void aMemberCannotChangeSomeoneElse() {
		Outcome outcome = managing.updateProfile(new Caller.Member("bob-sub"),
				new UpdateProfile(alice.id(), "Mallory", null, null, null, null));
		assertThat(((Outcome.Refused) outcome).refusal().reason()).isEqualTo(Refusal.Reason.FORBIDDEN);
		assertThat(store.find(alice.id())).contains(alice);
	}

	@Test
	void statusFollowsTheLifecycleAndSaysSo() {
		Member suspended = ((Outcome.Changed) managing.changeStatus(STAFF, alice.id(), MemberStatus.SUSPENDED, "fraud check"))
				.member();
		assertThat(suspended.status()).isEqualTo(MemberStatus.SUSPENDED);
		assertThat(managing.changeStatus(STAFF, alice.id(), MemberStatus.SUSPENDED, "again")).isEqualTo(new Outcome.Changed(suspended));
		managing.changeStatus(STAFF, alice.id(), MemberStatus.CLOSED, "asked to leave");
		Outcome reopen = managing.changeStatus(STAFF, alice.id(), MemberStatus.ACTIVE, "changed their mind");

		assertThat(((Outcome.Refused) reopen).refusal().message()).contains("closed member cannot become active");
		assertThat(published).hasSize(2).allMatch(MemberStatusChanged.class::isInstance);
		assertThat(((Outcome.Refused) managing.updateProfile(staff,
				new UpdateProfile(alice.id(), "X", null, null, null, null))).refusal().reason())
				.isEqualTo(Refusal.Reason.CONFLICT);
	}

	@Test
	void membersAreFoundByCardAndExternalIdWithinTheirProgramOnly() {
		assertThat(managing.lookUp(acme, new Identifier.ByCard(bob.cardNumber()))).contains(bob);
		assertThat(managing.lookUp(acme, new Identifier.ByExternalId(bob.externalId()))).contains(bob);
		assertThat(managing.lookUp(new ProgramId("other"), new Identifier.ByCard(bob.cardNumber()))).isEmpty();
	}

	@Test
	void namesAreFoundByTheStartOfAnyWordWithoutAccentsAndFollowRenames() {
		names.add(acme, alice.id(), "Élodie Martin");
		names.add(acme, bob.id(), "Bob Martinez");
		assertThat(managing.searchByName(STAFF, acme, "mart", null, 10)).extracting(NameIndex.Entry::member)
				.containsExactly(alice.id(), bob.id());
		assertThat(managing.searchByName(STAFF, acme, "ELO", null, 10)).extracting(NameIndex.Entry::member)
				.containsExactly(alice.id());
		List<NameIndex.Entry> first = managing.searchByName(STAFF, acme, "mart", null, 1);
		assertThat(managing.searchByName(STAFF, acme, "mart", first.get(0).key(), 1)).extracting(NameIndex.Entry::member)
				.containsExactly(bob.id());
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> managing.searchByName(STAFF, acme, "ma", null, 10))
				.isInstanceOf(io.fidelis.members.domain.InvalidInput.class);
	}

	@Test
	void staffAndClientsOfAnotherProgramChangeAndFindNothingHere() {
		Caller otherStaff = new Caller.Staff("ops-other", Set.of("admin"), Set.of("other"));
		Caller otherClient = new Caller.IntegrationClient("pos-other", Set.of("members:read"), Set.of("other"));
		for (Caller caller : List.of(otherStaff, otherClient)) {
			assertThat(((Outcome.Refused) managing.updateProfile(caller,
					new UpdateProfile(alice.id(), "Mallory", null, null, null, null))).refusal())
					.isEqualTo(new Refusal(Refusal.Reason.FORBIDDEN, "Your token does not cover program 'acme'"));
			assertThat(((Outcome.Refused) managing.changeStatus(caller, alice.id(), MemberStatus.CLOSED, "gone"))
					.refusal().reason()).isEqualTo(Refusal.Reason.FORBIDDEN);
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> managing.searchByName(caller, acme, "mart", null, 10))
					.isInstanceOf(Refusal.Refused.class);
			org.assertj.core.api.Assertions.assertThatThrownBy(
					() -> managing.lookUp(caller, acme, new Identifier.ByCard(bob.cardNumber())))
					.isInstanceOf(Refusal.Refused.class);
		}
		assertThat(store.find(alice.id())).contains(alice);
		assertThat(published).isEmpty();
		// a token naming the program reaches it
		Caller acmeClient = new Caller.IntegrationClient("pos-acme", Set.of("members:read"), Set.of("acme", "other"));
		assertThat(managing.lookUp(acmeClient, acme, new Identifier.ByCard(bob.cardNumber()))).contains(bob);
	}
}
