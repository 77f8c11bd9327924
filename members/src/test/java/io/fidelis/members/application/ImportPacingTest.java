package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.ImportLog.MemberImport;
import io.fidelis.members.domain.Program;

/** An import waits while the module listeners still have much of it to hear, then goes on. */
class ImportPacingTest {

	static final ProgramId ACME = new ProgramId("acme");

	final InMemoryMemberStore members = new InMemoryMemberStore();
	final Clock clock = Clock.systemUTC();

	@Test
	void anImportWaitsWhileTheListenersAreBehindAndThenEnrollsEveryone() throws InterruptedException {
		List<Integer> storedWhileBehind = new ArrayList<>();
		// behind for the first three looks, then caught up
		ListenerBacklog backlog = () -> {
			if (storedWhileBehind.size() < 3) {
				storedWhileBehind.add(members.members.size());
				return ImportingMembers.MOST_QUEUED + 1;
			}
			return 0;
		};
		InMemoryImportLog imports = new InMemoryImportLog();
		ImportingMembers importing = new ImportingMembers(new EnrollingMembers(programs(), members,
				new InMemoryNameIndex(), event -> {
				}, clock, new ReferringMembers(members, clock)), programs(), imports, clock, backlog, new MemberImportFigures());

		importing.start(new Caller.Staff("ops", Set.of("admin"), null), "paced-1", ACME, ImportingMembers.Format.CSV,
				"email,name\nann@example.com,Ann\nben@example.com,Ben\ncat@example.com,Cat\n", line -> Map.of());

		assertThat(imports.finished.await(30, TimeUnit.SECONDS)).as("the import ended").isTrue();
		assertThat(storedWhileBehind).as("nobody enrolled while the listeners were behind").containsExactly(0, 0, 0);
		MemberImport done = imports.find("paced-1").orElseThrow();
		assertThat(done.status()).isEqualTo("COMPLETED");
		assertThat(done.enrolled()).isEqualTo(3);
		assertThat(members.members).hasSize(3);
	}

	@Test
	void anImportStoppedByAnErrorShowsFailedNotRunningForEver() throws InterruptedException {
		InMemoryImportLog imports = new InMemoryImportLog();
		// the batch's announcement fails as a node out of memory would
		ImportingMembers importing = new ImportingMembers(new EnrollingMembers(programs(), members,
				new InMemoryNameIndex(), event -> {
					throw new OutOfMemoryError("simulated");
				}, clock, new ReferringMembers(members, clock)), programs(), imports, clock, () -> 0, new MemberImportFigures());

		importing.start(new Caller.Staff("ops", Set.of("admin"), null), "broken-1", ACME, ImportingMembers.Format.CSV,
				"email,name\nann@example.com,Ann\n", line -> Map.of());

		assertThat(imports.finished.await(30, TimeUnit.SECONDS)).as("the import ended").isTrue();
		MemberImport stopped = imports.find("broken-1").orElseThrow();
		assertThat(stopped.status()).isEqualTo("FAILED");
		assertThat(stopped.finishedAt()).isNotNull();
	}

	static ProgramStore programs() {
		Program acme = new Program(ACME, "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("Europe/Paris"), Instant.now());
		return new ProgramStore() {
			public Optional<Program> find(ProgramId id) {
				return id.equals(ACME) ? Optional.of(acme) : Optional.empty();
			}

			public boolean add(Program program) {
				return false;
			}
		};
	}
}
