package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.EnrollingMembers.Outcome;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.Program;

class EnrollmentDeskTest {

	static final ProgramId ACME = new ProgramId("acme");
	static final Caller POS = new Caller.IntegrationClient("pos-1", Set.of("members:write"));

	final List<Object> published = Collections.synchronizedList(new ArrayList<>());
	final InMemoryNameIndex names = new InMemoryNameIndex();
	final CountDownLatch gate = new CountDownLatch(1);
	final AtomicBoolean firstLookup = new AtomicBoolean(true);
	final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void stopCallers() {
		gate.countDown();
		callers.shutdownNow();
	}

	/** A desk whose first program lookup waits at the gate, holding the desk, so that others queue behind it. */
	EnrollmentDesk deskOver(MemberStore members) {
		Program acme = new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"),
				Instant.parse("2026-11-27T10:00:00Z"));
		ProgramStore programs = new ProgramStore() {
			public Optional<Program> find(ProgramId id) {
				if (firstLookup.getAndSet(false)) {
					try {
						assertThat(gate.await(30, TimeUnit.SECONDS)).as("the test opens the gate").isTrue();
					}
					catch (InterruptedException e) {
						throw new IllegalStateException(e);
					}
				}
				return ACME.equals(id) ? Optional.of(acme) : Optional.empty();
			}

			public boolean add(Program program) {
				return false;
			}
		};
		java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), java.time.ZoneOffset.UTC);
		return new EnrollmentDesk(new EnrollingMembers(programs, members, names, published::add, clock,
				new ReferringMembers(members, clock)));
	}

	static EnrollMember person(String name, String key) {
		return person(ACME, name, key);
	}

	static EnrollMember person(ProgramId program, String name, String key) {
		return new EnrollMember(program, new EmailAddress(name.toLowerCase() + "@example.com"), name, null, false, "v1",
				key);
	}

	/** The first request holds the desk at the gate; the others queue; then the gate opens. */
	List<Outcome> enrollBehindOne(EnrollmentDesk desk, EnrollMember first, List<EnrollMember> others) {
		CompletableFuture<Outcome> held = CompletableFuture.supplyAsync(() -> desk.enroll(POS, first), callers);
		await().atMost(Duration.ofSeconds(30)).until(() -> !firstLookup.get());
		List<CompletableFuture<Outcome>> queued = others.stream()
				.map(r -> CompletableFuture.supplyAsync(() -> desk.enroll(POS, r), callers)).toList();
		await().atMost(Duration.ofSeconds(30)).until(() -> desk.waiting() == others.size());
		gate.countDown();
		List<Outcome> outcomes = new ArrayList<>();
		outcomes.add(held.orTimeout(30, TimeUnit.SECONDS).join());
		queued.forEach(f -> outcomes.add(f.orTimeout(30, TimeUnit.SECONDS).join()));
		return outcomes;
	}

	@Test
	void enrollmentsArrivingTogetherAreStoredAndAnnouncedTogetherEachWithItsOwnAnswer() {
		InMemoryMemberStore members = new InMemoryMemberStore();
		EnrollmentDesk desk = deskOver(members);
		List<EnrollMember> others = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			others.add(person("New" + i, "request-new-" + i));
		}
		others.add(person("Bob", "request-bob"));
		others.add(person("Bob", "request-bob"));
		others.add(person("Bob", "request-bob"));
		others.add(person("Carol", "request-shared"));
		others.add(person("Dave", "request-shared"));
		others.add(person("Erin", "request-erin-1"));
		others.add(person("Erin", "request-erin-2"));
		others.add(person("Alice", "request-alice-2"));
		others.add(person(new ProgramId("nope"), "Frank", "request-frank"));

		List<Outcome> outcomes = enrollBehindOne(desk, person("Alice", "request-alice"), others);

		Member alice = enrolled(outcomes.get(0));
		for (int i = 1; i <= 12; i++) {
			assertThat(outcomes.get(i)).isInstanceOfSatisfying(Outcome.Enrolled.class,
					o -> assertThat(o.replayed()).isFalse());
		}
		List<Outcome> bobs = outcomes.subList(13, 16);
		assertThat(bobs).as("one Bob, whose copies replay him").allSatisfy(o -> assertThat(enrolled(o).id())
				.isEqualTo(enrolled(bobs.get(0)).id()));
		assertThat(bobs.stream().filter(o -> !((Outcome.Enrolled) o).replayed())).hasSize(1);
		assertThat(refusals(outcomes.subList(16, 18))).as("one of Carol and Dave; the key's other use is refused")
				.containsExactly(Refusal.Reason.IDEMPOTENCY_KEY_REUSED);
		assertThat(refusals(outcomes.subList(18, 20))).as("Erin once").containsExactly(Refusal.Reason.CONFLICT);
		assertThat(refusals(outcomes.subList(20, 21))).as("Alice is in already").containsExactly(Refusal.Reason.CONFLICT);
		assertThat(refusals(outcomes.subList(21, 22))).containsExactly(Refusal.Reason.NOT_FOUND);
		assertThat(members.members).hasSize(16);

		List<MembersEnrolled> batches = published.stream().filter(MembersEnrolled.class::isInstance)
				.map(MembersEnrolled.class::cast).toList();
		assertThat(batches).as("the queued ones in one batch").singleElement()
				.satisfies(b -> assertThat(b.members()).hasSize(15).noneMatch(e -> e.memberId().equals(alice.id())));
		assertThat(published).as("Alice, alone at the desk, was announced alone")
				.contains(new MemberEnrolled(alice.id(), ACME, alice.channel(), alice.enrolledAt()));
		assertThat(names.find(ACME, "new", null, 100)).hasSize(12);
	}

	@Test
	void whenABatchFailsAsAWholeEachRequestIsEnrolledAloneAndAnsweredItsOwnWay() {
		AtomicBoolean batchFailed = new AtomicBoolean();
		InMemoryMemberStore members = new InMemoryMemberStore() {
			@Override
			public List<HeldClaim> claimAll(List<Claiming> wanted, Instant at) {
				// one person claims key, email, card and its digest: more than that is a batch
				if (wanted.size() > 4 && batchFailed.compareAndSet(false, true)) {
					throw new IllegalStateException("The store went away");
				}
				return super.claimAll(wanted, at);
			}
		};
		EnrollmentDesk desk = deskOver(members);
		List<EnrollMember> others = List.of(person("Bob", "request-bob"), person("Carol", "request-carol"),
				person("Dave", "request-dave"), person("Dave", "request-dave-2"));

		List<Outcome> outcomes = enrollBehindOne(desk, person("Alice", "request-alice"), others);

		assertThat(batchFailed).isTrue();
		assertThat(outcomes.subList(0, 3)).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Outcome.Enrolled.class,
				e -> assertThat(e.replayed()).isFalse()));
		// Dave's two keys go alone at the same time: one enrolls him, the other meets him enrolled or in progress
		assertThat(refusals(outcomes.subList(3, 5))).containsExactly(Refusal.Reason.CONFLICT);
		assertThat(members.members).hasSize(4);
		assertThat(published).noneMatch(MembersEnrolled.class::isInstance).hasSize(4);
	}

	@Test
	void aFailureOfOneAloneIsItsCallersAndTheDeskGoesOn() {
		AtomicBoolean away = new AtomicBoolean(true);
		InMemoryMemberStore members = new InMemoryMemberStore() {
			@Override
			public List<HeldClaim> claimAll(List<Claiming> wanted, Instant at) {
				if (away.get()) {
					throw new IllegalStateException("The store went away");
				}
				return super.claimAll(wanted, at);
			}
		};
		firstLookup.set(false);
		EnrollmentDesk desk = deskOver(members);

		assertThatThrownBy(() -> desk.enroll(POS, person("Alice", "request-alice"))).hasMessage("The store went away");
		assertThat(members.members).isEmpty();
		assertThat(published).isEmpty();

		away.set(false);
		Outcome retried = desk.enroll(POS, person("Alice", "request-alice"));

		assertThat(retried).isInstanceOfSatisfying(Outcome.Enrolled.class, e -> assertThat(e.replayed()).isFalse());
		assertThat(published).singleElement().isInstanceOf(MemberEnrolled.class);
		assertThat(desk.waiting()).isZero();
	}

	private static Member enrolled(Outcome outcome) {
		assertThat(outcome).isInstanceOf(Outcome.Enrolled.class);
		return ((Outcome.Enrolled) outcome).member();
	}

	private static List<Refusal.Reason> refusals(List<Outcome> outcomes) {
		return outcomes.stream().filter(Outcome.Refused.class::isInstance)
				.map(o -> ((Outcome.Refused) o).refusal().reason()).toList();
	}
}
