package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;

class FindingMembersTest {

	final InMemoryMemberStore store = new InMemoryMemberStore();
	final FindingMembers finding = new FindingMembers(store, new ProgramStore() {
		public java.util.Optional<io.fidelis.members.domain.Program> find(ProgramId id) {
			return java.util.Optional.empty();
		}

		public boolean add(io.fidelis.members.domain.Program program) {
			return false;
		}
	}, null, null, java.time.Clock.systemUTC());
	final Member carol = new Member(new MemberId("m_carol"), new ProgramId("acme"), new EmailAddress("carol@example.com"),
			"Carol", null, null, io.fidelis.members.domain.CardNumber.generate(new java.util.Random(1)),
			MemberStatus.ACTIVE, new Consent(false, "v1", Instant.EPOCH), EnrollmentChannel.SELF_SERVICE,
			"member:carol-sub", "carol-sub", Instant.EPOCH, 1);

	FindingMembersTest() {
		store.insert(carol);
		store.claim(IdentityClaim.subject(carol.programId(), "carol-sub"), carol.id(), "f", Instant.EPOCH);
	}

	@Test
	void aMemberReadsTheirOwnProfile() {
		assertThat(finding.member(new Caller.Member("carol-sub"), carol.id()))
				.isEqualTo(new FindingMembers.Lookup.Found(carol));
		assertThat(finding.me(new Caller.Member("carol-sub"), carol.programId())).contains(carol);
	}

	@Test
	void aMemberCannotReadAnotherMemberNorLearnWhetherTheyExist() {
		Caller.Member mallory = new Caller.Member("mallory-sub");
		FindingMembers.Lookup existing = finding.member(mallory, carol.id());
		FindingMembers.Lookup missing = finding.member(mallory, new MemberId("m_nobody"));

		assertThat(existing).isInstanceOf(FindingMembers.Lookup.Refused.class);
		assertThat(((FindingMembers.Lookup.Refused) existing).refusal().reason()).isEqualTo(Refusal.Reason.FORBIDDEN);
		assertThat(missing).isEqualTo(existing);
		assertThat(finding.me(mallory, carol.programId())).isEmpty();
	}

	@Test
	void staffAndIntegrationsReadAnyMemberAndHearWhenThereIsNone() {
		Caller staff = new Caller.Staff("ops", Set.of("support"));
		assertThat(finding.member(staff, carol.id())).isEqualTo(new FindingMembers.Lookup.Found(carol));
		FindingMembers.Lookup missing = finding.member(staff, new MemberId("m_nobody"));
		assertThat(((FindingMembers.Lookup.Refused) missing).refusal().reason()).isEqualTo(Refusal.Reason.NOT_FOUND);
	}
}
