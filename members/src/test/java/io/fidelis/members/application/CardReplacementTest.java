package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberCardReplaced;
import io.fidelis.members.ProgramId;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.Program;

/** Lost cards and printed stock, on the in-memory store: the rules, apart from any adapter. */
class CardReplacementTest {

	static final ProgramId ACME = new ProgramId("acme");
	final InMemoryMemberStore members = new InMemoryMemberStore();
	final List<Object> published = new ArrayList<>();
	final EnrollingMembersTest.MutableClock clock = new EnrollingMembersTest.MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
	final Program acme = new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"),
			Program.CHANNELS, io.fidelis.members.EnrollmentPolicy.open(), clock.instant(), "4242");
	final ProgramStore programs = new ProgramStore() {
		public Optional<Program> find(ProgramId id) {
			return id.equals(ACME) ? Optional.of(acme) : Optional.empty();
		}

		public boolean add(Program program) {
			return false;
		}
	};
	final ReplacingCards replacing = new ReplacingCards(members, programs, published::add, clock);
	final CardStock stock = new CardStock(members, programs, clock);
	final EnrollingMembers enrolling = new EnrollingMembers(programs, members, new InMemoryNameIndex(), published::add, clock,
			new ReferringMembers(members, clock));
	final Caller.Staff support = new Caller.Staff("sam", Set.of("support"));

	Member enroll(String subject) {
		var outcome = enrolling.enroll(new Caller.Member(subject), new EnrollMember(ACME,
				new io.fidelis.members.domain.EmailAddress(subject + "@example.com"), "Alice", null, false, "v1",
				"key-" + subject + "-000"));
		return ((EnrollingMembers.Outcome.Enrolled) outcome).member();
	}

	@Test
	void card_numbers_carry_the_program_prefix_and_a_luhn_digit() {
		java.util.Random random = new java.util.Random(7);
		for (int i = 0; i < 2_000; i++) {
			String prefix = Integer.toString(1 + random.nextInt(999_999));
			CardNumber number = CardNumber.generate(prefix, random);
			assertThat(number.value()).hasSize(16).startsWith(prefix);
			assertThat(new CardNumber(number.value())).isEqualTo(number); // the constructor checks the Luhn digit
		}
		assertThatThrownBy(() -> CardNumber.generate("0123", random)).isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> CardNumber.generate("1234567", random)).isInstanceOf(InvalidInput.class);
		assertThat(enroll("alice").cardNumber().value()).startsWith("4242");
	}

	@Test
	void an_erased_members_card_numbers_show_nowhere_and_are_never_issued_again() {
		Member alice = enroll("alice");
		CardNumber lost = alice.cardNumber();
		CardNumber current = ((ReplacingCards.Outcome.Replaced) replacing.reportCard(new Caller.Member("alice"), alice.id(),
				lost, "LOST")).member().cardNumber();
		ProtectingPrivacy privacy = new ProtectingPrivacy(members, new InMemoryNameIndex(), published::add, clock);
		privacy.erase(new Caller.Member("alice"), alice.id());
		privacy.erase(new Caller.Member("alice"), alice.id()); // again: nothing more

		assertThat(members.find(alice.id()).orElseThrow().cardNumber()).isEqualTo(CardNumber.ERASED);
		assertThat(members.claims.keySet()).as("no claim names the numbers")
				.noneMatch(k -> k.contains(lost.value()) || k.contains(current.value()));
		for (CardNumber number : List.of(lost, current)) {
			assertThat(members.held(IdentityClaim.cardDigest(ACME, number))).as("held by digest")
					.hasValueSatisfying(h -> assertThat(h.owner()).isEqualTo(alice.id()));
			assertThat(members.claimCard(ACME, number, new io.fidelis.members.MemberId("m_someone"), "f", clock.instant()))
					.as("never drawn for someone else").isFalse();
			assertThat(members.held(IdentityClaim.card(ACME, number))).as("nothing left of a refused draw").isEmpty();
		}
		ManagingMembers managing = new ManagingMembers(members, new InMemoryNameIndex(), published::add, clock);
		assertThat(managing.lookUp(ACME, new ManagingMembers.Identifier.ByCard(current))).isEmpty();
	}

	@Test
	void a_revoked_number_identifies_nobody_until_staff_reinstate_the_card_with_a_new_number() {
		Member alice = enroll("alice");
		CardNumber revoked = alice.cardNumber();
		assertThat(replacing.revoked(alice.id())).isFalse();
		assertThat(replacing.reinstate(alice.id())).as("nothing to reinstate").isEmpty();
		assertThat(replacing.revoke(alice.id(), clock.instant())).contains(revoked.value());
		assertThat(replacing.revoke(alice.id(), clock.instant())).as("again: the same number, still blocked").contains(revoked.value());
		assertThat(replacing.revoked(alice.id())).isTrue();
		assertThat(replacing.revoke(new io.fidelis.members.MemberId("m_nobody"), clock.instant())).isEmpty();
		assertThat(replacing.blocked(ACME, revoked)).get().satisfies(b -> {
			assertThat(b.reason()).isEqualTo("REVOKED");
			assertThat(b.blockedMessage(revoked.value())).contains("revoked").contains("reinstate");
		});
		ManagingMembers managing = new ManagingMembers(members, new InMemoryNameIndex(), published::add, clock);
		assertThat(managing.lookUp(ACME, new ManagingMembers.Identifier.ByCard(revoked))).as("at the till").isEmpty();
		var report = replacing.reportCard(new Caller.Member("alice"), alice.id(), revoked, "LOST");
		assertThat(report).isInstanceOfSatisfying(ReplacingCards.Outcome.Refused.class,
				r -> assertThat(r.refusal().message()).contains("revoked"));

		published.clear();
		String fresh = replacing.reinstate(alice.id()).orElseThrow();
		assertThat(fresh).startsWith("4242").isNotEqualTo(revoked.value());
		assertThat(members.find(alice.id()).orElseThrow().cardNumber().value()).isEqualTo(fresh);
		assertThat(replacing.revoked(alice.id())).isFalse();
		assertThat(managing.lookUp(ACME, new ManagingMembers.Identifier.ByCard(new CardNumber(fresh)))).isPresent();
		assertThat(managing.lookUp(ACME, new ManagingMembers.Identifier.ByCard(revoked))).as("the old number stays void").isEmpty();
		assertThat(published).singleElement().isInstanceOfSatisfying(io.fidelis.members.MemberCardReplaced.class, e -> {
			assertThat(e.previousCardNumber()).isEqualTo(revoked.value());
			assertThat(e.cardNumber()).isEqualTo(fresh);
			assertThat(e.reason()).isEqualTo("REINSTATED");
		});
		assertThat(replacing.reinstate(alice.id())).as("reinstated already").isEmpty();
	}

	@Test
	void a_reported_card_is_blocked_replaced_once_and_the_event_names_both_numbers() {
		Member alice = enroll("alice");
		CardNumber old = alice.cardNumber();
		var outcome = (ReplacingCards.Outcome.Replaced) replacing.reportCard(new Caller.Member("alice"), alice.id(), old, "stolen");
		CardNumber fresh = outcome.member().cardNumber();
		assertThat(fresh).isNotEqualTo(old);
		assertThat(fresh.value()).startsWith("4242");
		assertThat(outcome.replayed()).isFalse();
		assertThat(members.find(alice.id()).orElseThrow().cardNumber()).isEqualTo(fresh);
		assertThat(replacing.blocked(ACME, old)).get().satisfies(b -> {
			assertThat(b.reason()).isEqualTo("STOLEN");
			assertThat(b.replacedBy()).isEqualTo(fresh.value());
		});
		assertThat(published).filteredOn(MemberCardReplaced.class::isInstance).singleElement()
				.isEqualTo(new MemberCardReplaced(alice.id(), ACME, old.value(), fresh.value(), "STOLEN", clock.instant()));

		var again = (ReplacingCards.Outcome.Replaced) replacing.reportCard(support, alice.id(), old, "LOST");
		assertThat(again.replayed()).isTrue();
		assertThat(again.member().cardNumber()).isEqualTo(fresh);
		assertThat(published).filteredOn(MemberCardReplaced.class::isInstance).hasSize(1);
	}

	@Test
	void refusals_change_nothing() {
		Member alice = enroll("alice");
		Member bob = enroll("bob");
		long before = members.find(alice.id()).orElseThrow().version();
		assertThat(replacing.reportCard(new Caller.Member("bob"), alice.id(), alice.cardNumber(), "LOST"))
				.isInstanceOf(ReplacingCards.Outcome.Refused.class);
		assertThat(replacing.reportCard(support, alice.id(), bob.cardNumber(), "LOST"))
				.isInstanceOfSatisfying(ReplacingCards.Outcome.Refused.class,
						r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.NOT_FOUND));
		assertThat(replacing.reportCard(new Caller.Staff("x", Set.of("support"), Set.of("other")), alice.id(),
				alice.cardNumber(), "LOST")).isInstanceOf(ReplacingCards.Outcome.Refused.class);
		assertThatThrownBy(() -> replacing.reportCard(support, alice.id(), alice.cardNumber(), "eaten"))
				.isInstanceOf(InvalidInput.class);
		Member closed = alice.withProfile(null, null, null, null);
		members.update(closed.version() - 1, new Member(closed.id(), closed.programId(), closed.email(), closed.name(),
				null, null, closed.cardNumber(), MemberStatus.CLOSED, closed.consent(), closed.channel(),
				closed.enrolledBy(), closed.subject(), closed.enrolledAt(), closed.version()));
		assertThat(replacing.reportCard(support, alice.id(), alice.cardNumber(), "LOST"))
				.isInstanceOfSatisfying(ReplacingCards.Outcome.Refused.class,
						r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.CONFLICT));
		assertThat(members.find(alice.id()).orElseThrow().cardNumber()).isEqualTo(alice.cardNumber());
		assertThat(members.find(alice.id()).orElseThrow().version()).isEqualTo(before + 1); // only the closing
		assertThat(replacing.blocked(ACME, alice.cardNumber())).isEmpty();
	}

	@Test
	void printed_stock_is_held_until_one_enrollment_activates_each_card() {
		Caller.Staff admin = new Caller.Staff("ada", Set.of("admin"));
		var batch = ((CardStock.Outcome.Issued) stock.issue(admin, ACME, "run-1", 20)).batch();
		assertThat(batch.cardNumbers()).hasSize(20).doesNotHaveDuplicates().allMatch(n -> n.startsWith("4242"));
		assertThat(((CardStock.Outcome.Issued) stock.issue(admin, ACME, "run-1", 20)).batch()).isEqualTo(batch);
		assertThat(stock.issue(admin, ACME, "run-1", 21)).isInstanceOf(CardStock.Outcome.Refused.class);
		assertThat(stock.issue(admin, new ProgramId("nope"), "run-2", 1)).isInstanceOf(CardStock.Outcome.Refused.class);
		assertThat(stock.issue(new Caller.Staff("x", Set.of("admin"), Set.of("other")), ACME, "run-3", 1))
				.isInstanceOf(CardStock.Outcome.Refused.class);
		assertThatThrownBy(() -> stock.issue(admin, ACME, "run-4", 0)).isInstanceOf(InvalidInput.class);

		CardNumber printed = new CardNumber(batch.cardNumbers().get(3));
		var first = enrolling.enroll(new Caller.Member("carol"), new EnrollMember(ACME,
				new io.fidelis.members.domain.EmailAddress("carol@example.com"), "Carol", null, false, "v1",
				"key-carol-0001", null, printed));
		assertThat(((EnrollingMembers.Outcome.Enrolled) first).member().cardNumber()).isEqualTo(printed);
		var second = enrolling.enroll(new Caller.Member("dan"), new EnrollMember(ACME,
				new io.fidelis.members.domain.EmailAddress("dan@example.com"), "Dan", null, false, "v1",
				"key-dan-00001", null, printed));
		assertThat(second).isInstanceOfSatisfying(EnrollingMembers.Outcome.Refused.class,
				r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.CONFLICT));
		assertThat(members.held(io.fidelis.members.domain.IdentityClaim.email(ACME,
				new io.fidelis.members.domain.EmailAddress("dan@example.com")))).as("dan's claims were given back").isEmpty();
	}
}
