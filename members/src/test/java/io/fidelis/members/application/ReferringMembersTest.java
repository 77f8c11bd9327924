package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.EnrollingMembers.Outcome;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.Program;
import io.fidelis.members.domain.ReferralCode;

/** Referral codes and the enrollments that give them, on in-memory ports. */
class ReferringMembersTest {

	static final ProgramId ACME = new ProgramId("acme");
	static final ProgramId GLOBEX = new ProgramId("globex");
	static final Caller POS = new Caller.IntegrationClient("pos-1", Set.of("members:write"));

	final InMemoryMemberStore members = new InMemoryMemberStore();
	final List<Object> published = new ArrayList<>();
	final EnrollingMembersTest.MutableClock clock = new EnrollingMembersTest.MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
	final ReferringMembers referrals = new ReferringMembers(members, clock);
	final Map<ProgramId, Program> programs = Map.of(
			ACME, new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"), clock.instant()),
			GLOBEX, new Program(GLOBEX, "Globex", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"), clock.instant()));
	final EnrollingMembers enrolling = new EnrollingMembers(new ProgramStore() {
		public Optional<Program> find(ProgramId id) {
			return Optional.ofNullable(programs.get(id));
		}

		public boolean add(Program program) {
			return false;
		}
	}, members, new InMemoryNameIndex(), published::add, clock, referrals);

	Outcome enroll(ProgramId program, String person, String key, String code) {
		return enrolling.enroll(POS, new EnrollMember(program, new EmailAddress(person + "@example.com"), person, null, false,
				"v1", key, null, null, null, code == null ? null : ReferralCode.typed(code)));
	}

	Outcome enrollFrom(String person, String key, String code, String device, String card) {
		return enrolling.enroll(POS, new EnrollMember(ACME, new EmailAddress(person + "@example.com"), person, null, false,
				"v1", key, null, null, null, code == null ? null : ReferralCode.typed(code), device, card));
	}

	Member enrolled(Outcome outcome) {
		return ((Outcome.Enrolled) outcome).member();
	}

	String codeOf(Member m) {
		return referrals.codeOf(m.id(), m.programId(), m.status().name()).orElseThrow().display();
	}

	@Test
	void a_friend_who_gives_a_code_is_linked_to_its_member_and_a_retry_stays_linked() {
		Member ann = enrolled(enroll(ACME, "ann", "key-ann-0001", null));
		String code = codeOf(ann);
		assertThat(codeOf(ann)).as("the same code every time").isEqualTo(code);
		assertThat(members.held(IdentityClaim.referralCode(ACME, ReferralCode.typed(code)))).get()
				.extracting(MemberStore.HeldClaim::owner).isEqualTo(ann.id());

		Member bob = enrolled(enroll(ACME, "bob", "key-bob-0001", code.toLowerCase()));
		assertThat(bob.referredBy()).isEqualTo(ann.id());
		assertThat(members.find(bob.id()).orElseThrow().referredBy()).as("kept with the member").isEqualTo(ann.id());
		assertThat(published).contains(new MemberEnrolled(bob.id(), ACME, bob.channel(), bob.enrolledAt(), ann.id()));

		// the referrer suspended since: the retry still answers the first result, with its referrer
		members.update(ann.version(), ann.becoming(MemberStatus.SUSPENDED).orElseThrow());
		Outcome retry = enroll(ACME, "bob", "key-bob-0001", code);
		assertThat(((Outcome.Enrolled) retry).replayed()).isTrue();
		assertThat(enrolled(retry).referredBy()).isEqualTo(ann.id());
		assertThat(published).filteredOn(MemberEnrolled.class::isInstance).last()
				.isEqualTo(new MemberEnrolled(bob.id(), ACME, bob.channel(), bob.enrolledAt(), ann.id()));
	}

	@Test
	void an_unknown_code_or_another_programs_is_not_found_and_enrolls_nobody() {
		Member ann = enrolled(enroll(ACME, "ann", "key-ann-0001", null));
		String code = codeOf(ann);
		int before = members.members.size();

		Outcome unknown = enroll(ACME, "cid", "key-cid-0001", "ABCDE-FGHJK");
		assertThat(((Outcome.Refused) unknown).refusal().reason()).isEqualTo(Refusal.Reason.NOT_FOUND);
		assertThat(((Outcome.Refused) unknown).refusal().message()).contains("ABCDE-FGHJK");
		Outcome elsewhere = enroll(GLOBEX, "cid", "key-cid-0002", code);
		assertThat(((Outcome.Refused) elsewhere).refusal().reason()).isEqualTo(Refusal.Reason.NOT_FOUND);
		assertThat(((Outcome.Refused) elsewhere).refusal().message()).contains("globex");
		assertThat(members.members).hasSize(before);

		// nothing of the refused requests is held: the same person and key enroll afterwards
		assertThat(enrolled(enroll(ACME, "cid", "key-cid-0001", null)).referredBy()).isNull();
	}

	@Test
	void a_suspended_or_closed_member_has_no_code_and_their_code_is_refused() {
		Member ann = enrolled(enroll(ACME, "ann", "key-ann-0001", null));
		String code = codeOf(ann);
		Member suspended = ann.becoming(MemberStatus.SUSPENDED).orElseThrow();
		members.update(ann.version(), suspended);

		assertThat(referrals.codeOf(ann.id(), ACME, suspended.status().name())).isEmpty();
		Outcome refused = enroll(ACME, "dan", "key-dan-0001", code);
		assertThat(((Outcome.Refused) refused).refusal().reason()).isEqualTo(Refusal.Reason.CONFLICT);
		assertThat(((Outcome.Refused) refused).refusal().message()).contains("suspended or closed");
		Member closed = suspended.becoming(MemberStatus.CLOSED).orElseThrow();
		members.update(suspended.version(), closed);
		assertThat(referrals.codeOf(ann.id(), ACME, closed.status().name())).isEmpty();
		assertThat(((Outcome.Refused) enroll(ACME, "dan", "key-dan-0002", code)).refusal().reason())
				.isEqualTo(Refusal.Reason.CONFLICT);
	}

	@Test
	void a_code_another_member_holds_is_drawn_again() {
		Member ann = enrolled(enroll(ACME, "ann", "key-ann-0001", null));
		Member squatter = enrolled(enroll(ACME, "eve", "key-eve-0001", null));
		ReferralCode first = ReferralCode.of(ACME, ann.id(), 0);
		members.claim(IdentityClaim.referralCode(ACME, first), squatter.id(), "referral", clock.instant());

		assertThat(codeOf(ann)).isEqualTo(ReferralCode.of(ACME, ann.id(), 1).display());
		Member fay = enrolled(enroll(ACME, "fay", "key-fay-0001", first.value()));
		assertThat(fay.referredBy()).as("the first draw names whoever holds it").isEqualTo(squatter.id());
	}

	@Test
	void a_friend_on_the_referrers_own_device_or_payment_card_is_refused_as_a_self_referral() {
		Member ann = enrolled(enrollFrom("ann", "key-ann-0001", null, "iphone-ann", "card_fp_ann"));
		String code = codeOf(ann);

		Outcome sameDevice = enrollFrom("ann2", "key-ann2-0001", code, "iphone-ann", null);
		assertThat(((Outcome.Refused) sameDevice).refusal().reason()).isEqualTo(Refusal.Reason.CONFLICT);
		assertThat(((Outcome.Refused) sameDevice).refusal().message()).contains("cannot refer themselves").contains("this device");
		Outcome sameCard = enrollFrom("ann3", "key-ann3-0001", code, "pixel-x", "card_fp_ann");
		assertThat(((Outcome.Refused) sameCard).refusal().message()).contains("this payment card");

		// a household's shared device does not stop anyone enrolling, nor referring with another member's code
		Member bob = enrolled(enrollFrom("bob", "key-bob-0001", code, "ipad-home", "card_fp_bob"));
		assertThat(bob.referredBy()).isEqualTo(ann.id());
		Member cid = enrolled(enrollFrom("cid", "key-cid-0001", null, "ipad-home", null));
		Member dan = enrolled(enrollFrom("dan", "key-dan-0001", codeOf(cid), "ipad-home", null));
		assertThat(dan.referredBy()).as("the device is bob's, not cid's").isEqualTo(cid.id());
		// but the device is bob's (he gave it first): his code from it is his own, whoever types it
		assertThat(((Outcome.Refused) enrollFrom("eve", "key-eve-0001", codeOf(bob), "ipad-home", null)).refusal().reason())
				.isEqualTo(Refusal.Reason.CONFLICT);
		assertThat(enrolled(enrollFrom("eve", "key-eve-0002", codeOf(bob), "galaxy-eve", null)).referredBy()).isEqualTo(bob.id());
	}

	@Test
	void a_device_or_card_fingerprint_is_printable_and_bounded() {
		for (String bad : new String[] { "has space", "x".repeat(201), "tab\tbed", "é" }) {
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> enrollFrom("fay", "key-fay-0001", null, bad, null))
					.as(bad).isInstanceOf(io.fidelis.members.domain.InvalidInput.class).hasMessageContaining("deviceId");
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> enrollFrom("fay", "key-fay-0001", null, null, bad))
					.as(bad).isInstanceOf(io.fidelis.members.domain.InvalidInput.class).hasMessageContaining("paymentFingerprint");
		}
	}
}
