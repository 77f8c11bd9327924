package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.EnrollingMembers.Outcome;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.PhoneNumber;
import io.fidelis.members.domain.Program;

class EnrollingMembersTest {

	static final ProgramId ACME = new ProgramId("acme");
	static final Caller POS = new Caller.IntegrationClient("pos-1", Set.of("members:write"));

	final InMemoryMemberStore members = new InMemoryMemberStore();
	final InMemoryNameIndex names = new InMemoryNameIndex();
	final List<Object> published = new ArrayList<>();
	final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
	EnrollingMembers enrolling;

	@BeforeEach
	void programAcmeExists() {
		enrolling = enrollingInto(members, names, published);
	}

	/** Enrollment into program Acme, kept in the given store. */
	EnrollingMembers enrollingInto(MemberStore members, NameIndex names, List<Object> published) {
		Map<ProgramId, Program> programs = new HashMap<>();
		programs.put(ACME, new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"),
				clock.instant()));
		ProgramStore programStore = new ProgramStore() {
			public Optional<Program> find(ProgramId id) {
				return Optional.ofNullable(programs.get(id));
			}

			public boolean add(Program program) {
				return programs.putIfAbsent(program.id(), program) == null;
			}
		};
		return new EnrollingMembers(programStore, members, names, published::add, clock, new ReferringMembers(members, clock));
	}

	@org.junit.jupiter.api.RepeatedTest(20)
	void aBatchAnswersAndStoresWhatEnrollingOneByOneWould(org.junit.jupiter.api.RepetitionInfo repetition) {
		java.util.Random random = new java.util.Random(31L * repetition.getCurrentRepetition());
		InMemoryMemberStore oneByOneStore = new InMemoryMemberStore();
		InMemoryNameIndex oneByOneNames = new InMemoryNameIndex();
		List<Object> oneByOneEvents = new ArrayList<>();
		EnrollingMembers oneByOne = enrollingInto(oneByOneStore, oneByOneNames, oneByOneEvents);
		// few people, phones and keys, so that batches hold retries, reused keys, duplicates and people already
		// in; callers of every channel (a key is the caller's own), and now and then a program that does not exist
		List<Caller> callers = List.of(POS, new Caller.IntegrationClient("web-shop", Set.of("members:write")),
				new Caller.Staff("ops-1", Set.of("STAFF_OPERATOR"), Set.of()));
		List<EnrollingMembers.Request> requests = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			if (!requests.isEmpty() && random.nextInt(4) == 0) {
				requests.add(requests.get(random.nextInt(requests.size()))); // a retry
				continue;
			}
			int person = random.nextInt(12);
			ProgramId program = random.nextInt(15) == 0 ? new ProgramId("nope") : ACME;
			// a person enrolling themselves signs in as themselves
			Caller caller = random.nextInt(4) == 0 ? new Caller.Member("sub-" + person)
					: callers.get(random.nextInt(callers.size()));
			requests.add(new EnrollingMembers.Request(caller,
					new EnrollMember(program, new EmailAddress("p" + person + "@example.com"), "Person " + person,
							random.nextInt(3) == 0 ? new PhoneNumber("+3361234567" + random.nextInt(4)) : null,
							random.nextBoolean(), "v1", "key-0000" + random.nextInt(20),
							random.nextInt(4) == 0 ? "crm-" + random.nextInt(6) : null)));
		}
		List<String> batched = new ArrayList<>();
		for (int from = 0; from < requests.size();) {
			int to = Math.min(requests.size(), from + 1 + random.nextInt(15));
			enrolling.enrollAll(requests.subList(from, to)).forEach(o -> batched.add(describe(o)));
			from = to;
		}
		List<String> single = requests.stream().map(r -> describe(oneByOne.enroll(r.caller(), r.details()))).toList();

		assertThat(batched).isEqualTo(single);
		assertThat(batched).anyMatch(o -> o.startsWith("enrolled")).anyMatch(o -> o.startsWith("replayed"))
				.anyMatch(o -> o.startsWith("CONFLICT"));
		assertThat(people(members, published)).isEqualTo(people(oneByOneStore, oneByOneEvents));
		assertThat(published).as("a batch's members are announced together").anyMatch(e -> e instanceof MembersEnrolled);
		// replays announce again (healing a crash before publication): as often per person either way
		assertThat(announcements(members, published)).as("who is announced, and how often")
				.isEqualTo(announcements(oneByOneStore, oneByOneEvents));
		for (MemberEnrolled event : announced(published)) {
			Member member = members.find(event.memberId()).orElseThrow();
			assertThat(members.held(IdentityClaim.email(ACME, member.email()))).hasValueSatisfying(
					held -> assertThat(held.ownedBy(member.id())).isTrue());
			assertThat(members.held(IdentityClaim.card(ACME, member.cardNumber()))).hasValueSatisfying(
					held -> assertThat(held.ownedBy(member.id())).isTrue());
			assertThat(names.find(ACME, "person", null, 100)).extracting(NameIndex.Entry::member).contains(member.id());
		}
	}

	/** What a caller learns: enrolled or replayed (and whom), or the refusal. */
	private static String describe(Outcome outcome) {
		if (outcome instanceof Outcome.Enrolled done) {
			return (done.replayed() ? "replayed " : "enrolled ") + done.member().email().value();
		}
		Refusal refusal = ((Outcome.Refused) outcome).refusal();
		return refusal.reason() + " " + refusal.message();
	}

	/** Everyone enrolled, by their details (ids and card numbers are drawn at random). */
	private static Set<String> people(MemberStore store, List<Object> events) {
		return new java.util.TreeSet<>(announcements(store, events));
	}

	/** Every announcement, by the details of whom it announces, sorted. */
	private static List<String> announcements(MemberStore store, List<Object> events) {
		return announced(events).stream().map(enrolled -> store.find(enrolled.memberId()).orElseThrow())
				.map(m -> m.email().value() + "|" + m.name() + "|" + m.phoneNumber().map(PhoneNumber::value).orElse("")
						+ "|" + m.externalId() + "|" + m.consent().marketingOptIn())
				.sorted().toList();
	}

	/** Members announced alone or with their batch. */
	private static List<MemberEnrolled> announced(List<Object> events) {
		List<MemberEnrolled> announced = new ArrayList<>();
		for (Object event : events) {
			if (event instanceof MemberEnrolled enrolled) {
				announced.add(enrolled);
			}
			else if (event instanceof MembersEnrolled batch) {
				announced.addAll(batch.members());
			}
		}
		return announced;
	}

	@Test
	void aBatchForAnUnknownProgramOrAClosedChannelIsRefusedRowByRowAndWritesNothing() {
		List<EnrollMember> unknown = List.of(new EnrollMember(new ProgramId("nope"),
				new EmailAddress("x@example.com"), "X", null, false, "v1", "key-x0000001"));

		assertThat(enrolling.enrollAll(POS, unknown)).singleElement().satisfies(o -> assertThat(describe(o))
				.isEqualTo("NOT_FOUND There is no program 'nope'"));
		assertThat(enrolling.enrollAll(POS, List.of())).isEmpty();
		assertThat(published).isEmpty();
		assertThat(members.held(IdentityClaim.idempotencyKey(POS.key(), "key-x0000001"))).isEmpty();
		assertThat(members.held(IdentityClaim.email(new ProgramId("nope"), new EmailAddress("x@example.com")))).isEmpty();
	}

	static EnrollMember alice(String key) {
		return new EnrollMember(ACME, new EmailAddress("alice@example.com"), "Alice", new PhoneNumber("+33612345678"),
				true, "v1", key);
	}

	@Test
	void aNewPersonBecomesAnActiveMemberAndTheModulesAreTold() {
		Outcome outcome = enrolling.enroll(POS, alice("key-00000001"));

		Member member = ((Outcome.Enrolled) outcome).member();
		assertThat(((Outcome.Enrolled) outcome).replayed()).isFalse();
		assertThat(member.channel()).isEqualTo(EnrollmentChannel.INTEGRATION);
		assertThat(member.enrolledBy()).isEqualTo("client:pos-1");
		assertThat(member.consent().marketingOptIn()).isTrue();
		assertThat(members.find(member.id())).contains(member);
		assertThat(published).containsExactly(
				new MemberEnrolled(member.id(), ACME, EnrollmentChannel.INTEGRATION, clock.instant()));
	}

	@Test
	void aNewPersonsClaimsAreWrittenTogetherAndARetryGoesClaimByClaim() {
		List<Integer> together = new ArrayList<>();
		List<String> alone = new ArrayList<>();
		InMemoryMemberStore counting = new InMemoryMemberStore() {
			boolean batch;

			@Override
			public List<HeldClaim> claimAll(List<Claiming> wanted, Instant at) {
				together.add(wanted.size());
				batch = true;
				try {
					return super.claimAll(wanted, at);
				}
				finally {
					batch = false;
				}
			}

			@Override
			public HeldClaim claim(IdentityClaim claim, MemberId owner, String fingerprint, Instant at) {
				if (!batch) {
					alone.add(claim.key());
				}
				return super.claim(claim, owner, fingerprint, at);
			}
		};
		EnrollingMembers enrollingCounted = enrollingInto(counting, names, published);

		Member first = ((Outcome.Enrolled) enrollingCounted.enroll(POS, alice("key-00000001"))).member();

		assertThat(together).as("key, email, phone, card and the card's digest in one write").containsExactly(5);
		assertThat(alone).isEmpty();
		assertThat(counting.held(IdentityClaim.card(ACME, first.cardNumber()))).hasValueSatisfying(
				h -> assertThat(h.owner()).isEqualTo(first.id()));

		Outcome retry = enrollingCounted.enroll(POS, alice("key-00000001"));

		assertThat(retry).isEqualTo(new Outcome.Enrolled(first, true));
		assertThat(alone).as("the retry finds its key held and replays").hasSize(1);
		assertThat(counting.members).hasSize(1);
		assertThat(counting.claims.values()).as("the retry's new card number was given back")
				.allSatisfy(c -> assertThat(c.owner()).isEqualTo(first.id()));
	}

	@Test
	void aRetryReturnsTheFirstMemberAndCreatesNoOther() {
		Member first = ((Outcome.Enrolled) enrolling.enroll(POS, alice("key-00000001"))).member();

		Outcome retry = enrolling.enroll(POS, alice("key-00000001"));

		assertThat(retry).isEqualTo(new Outcome.Enrolled(first, true));
		assertThat(members.members).hasSize(1);
		// published again so that a crash between insert and publication heals; listeners are idempotent
		assertThat(published).hasSize(2).allMatch(e -> ((MemberEnrolled) e).memberId().equals(first.id()));
	}

	@Test
	void theSameKeyForADifferentEnrollmentIsRefused() {
		enrolling.enroll(POS, alice("key-00000001"));
		EnrollMember bob = new EnrollMember(ACME, new EmailAddress("bob@example.com"), "Bob", null, false, "v1",
				"key-00000001");

		Outcome outcome = enrolling.enroll(POS, bob);

		assertThat(outcome).isEqualTo(new Outcome.Refused(new Refusal(Refusal.Reason.IDEMPOTENCY_KEY_REUSED,
				"The idempotency key 'key-00000001' was already used for a different enrollment")));
		assertThat(members.members).hasSize(1);
	}

	@Test
	void idempotencyKeysBelongToTheirCaller() {
		Caller otherPos = new Caller.IntegrationClient("pos-2", Set.of("members:write"));
		enrolling.enroll(POS, alice("key-00000001"));
		EnrollMember bob = new EnrollMember(ACME, new EmailAddress("bob@example.com"), "Bob", null, false, "v1",
				"key-00000001");

		assertThat(enrolling.enroll(otherPos, bob)).isInstanceOf(Outcome.Enrolled.class);
	}

	@Test
	void thePersonCannotBeEnrolledTwiceUnderAnotherKeyAndNothingIsLeftBehind() {
		enrolling.enroll(POS, alice("key-00000001"));
		int claimsBefore = members.claims.size();

		Outcome outcome = enrolling.enroll(POS, alice("key-00000002"));

		assertThat(outcome).isInstanceOf(Outcome.Refused.class);
		Refusal refusal = ((Outcome.Refused) outcome).refusal();
		assertThat(refusal.reason()).isEqualTo(Refusal.Reason.CONFLICT);
		assertThat(refusal.message()).contains("alice@example.com").contains("already enrolled");
		assertThat(members.members).hasSize(1);
		assertThat(members.claims).hasSize(claimsBefore);
	}

	@Test
	void theSamePhoneNumberCannotBelongToTwoMembers() {
		enrolling.enroll(POS, alice("key-00000001"));
		EnrollMember other = new EnrollMember(ACME, new EmailAddress("other@example.com"), "Other",
				new PhoneNumber("+33 6 12 34 56 78"), false, "v1", "key-00000002");

		Refusal refusal = ((Outcome.Refused) enrolling.enroll(POS, other)).refusal();

		assertThat(refusal.message()).contains("phone number +33612345678");
	}

	@Test
	void anUnknownProgramIsRefusedAndNothingIsWritten() {
		EnrollMember request = new EnrollMember(new ProgramId("nope"), new EmailAddress("alice@example.com"), "Alice",
				null, false, "v1", "key-00000001");

		Outcome outcome = enrolling.enroll(POS, request);

		assertThat(outcome).isEqualTo(new Outcome.Refused(new Refusal(Refusal.Reason.NOT_FOUND, "There is no program 'nope'")));
		assertThat(members.members).isEmpty();
		assertThat(members.claims).isEmpty();
		assertThat(published).isEmpty();
	}

	@Test
	void aMemberSigningUpTwiceWithAnotherEmailIsRefused() {
		Caller.Member carol = new Caller.Member("carol-sub");
		EnrollMember first = new EnrollMember(ACME, new EmailAddress("carol@example.com"), "Carol", null, false, "v1",
				"key-00000001");
		EnrollMember second = new EnrollMember(ACME, new EmailAddress("carol2@example.com"), "Carol", null, false, "v1",
				"key-00000002");

		Member member = ((Outcome.Enrolled) enrolling.enroll(carol, first)).member();
		Refusal refusal = ((Outcome.Refused) enrolling.enroll(carol, second)).refusal();

		assertThat(member.channel()).isEqualTo(EnrollmentChannel.SELF_SERVICE);
		assertThat(member.selfSubject()).contains("carol-sub");
		assertThat(refusal.message()).contains("sign-in identity");
	}

	@Test
	void aRetryAfterACrashBeforeTheMemberWasWrittenCompletesTheSameEnrollment() {
		// the crashed attempt got as far as its claims
		MemberId crashed = new MemberId("m_crashed");
		String fingerprint = alice("key-00000001").fingerprint();
		members.claim(IdentityClaim.idempotencyKey(POS.key(), "key-00000001"), crashed, fingerprint, clock.instant());
		members.claim(IdentityClaim.email(ACME, new EmailAddress("alice@example.com")), crashed, fingerprint,
				clock.instant());

		Outcome outcome = enrolling.enroll(POS, alice("key-00000001"));

		assertThat(((Outcome.Enrolled) outcome).member().id()).isEqualTo(crashed);
		assertThat(members.find(crashed)).isPresent();
	}

	@Test
	void claimsOfAnAbandonedEnrollmentAreTakenOverOnlyAfterTheyGoStale() {
		MemberId abandoned = new MemberId("m_abandoned");
		members.claim(IdentityClaim.email(ACME, new EmailAddress("alice@example.com")), abandoned, "other",
				clock.instant());

		Outcome tooSoon = enrolling.enroll(POS, alice("key-00000001"));
		clock.advance(EnrollingMembers.ABANDONED_AFTER.plusSeconds(1));
		Outcome later = enrolling.enroll(POS, alice("key-00000002"));

		assertThat(((Outcome.Refused) tooSoon).refusal().message()).contains("in progress");
		assertThat(later).isInstanceOf(Outcome.Enrolled.class);
		assertThat(members.members).hasSize(1);
	}

	@Test
	void aProgramClosedToSelfServiceRefusesMembersSigningUpThemselves() {
		ProgramId staffOnly = new ProgramId("staff-only");
		Map<ProgramId, Program> programs = new HashMap<>();
		programs.put(staffOnly, new Program(staffOnly, "Staff only", Set.of("EUR"), Set.of("FR"), ZoneId.of("UTC"),
				Set.of("IN_STORE"), new io.fidelis.members.EnrollmentPolicy(false, true, true), clock.instant()));
		EnrollingMembers strict = new EnrollingMembers(new ProgramStore() {
			public Optional<Program> find(ProgramId id) {
				return Optional.ofNullable(programs.get(id));
			}

			public boolean add(Program program) {
				return false;
			}
		}, members, names, published::add, clock, new ReferringMembers(members, clock));
		EnrollMember request = new EnrollMember(staffOnly, new EmailAddress("x@example.com"), "X", null, false, "v1",
				"key-00000009");

		Outcome self = strict.enroll(new Caller.Member("x-sub"), request);
		assertThat(((Outcome.Refused) self).refusal().reason()).isEqualTo(Refusal.Reason.FORBIDDEN);
		assertThat(((Outcome.Refused) self).refusal().message()).contains("by members themselves");
		assertThat(members.members).isEmpty();
		assertThat(strict.enrollAll(new Caller.Member("x-sub"), List.of(request))).singleElement()
				.satisfies(o -> assertThat(((Outcome.Refused) o).refusal().reason()).isEqualTo(Refusal.Reason.FORBIDDEN));
		assertThat(members.members).isEmpty();
		assertThat(strict.enroll(POS, request)).isInstanceOf(Outcome.Enrolled.class);
	}

	static final class MutableClock extends Clock {
		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}
	}
}
