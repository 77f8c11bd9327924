package io.fidelis.members.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.ImportLog.MemberImport;
import io.fidelis.members.domain.EmailAddress;

/**
 * An import whose node stopped (crash, restart) is taken over by one node once its lease runs out
 * and goes on from its last finished batch; a live import is left alone; a node that lost the
 * lease stops at its next write.
 */
class ImportResumeTest {

	static final ProgramId ACME = new ProgramId("acme");
	static final Caller STAFF = new Caller.Staff("ops", Set.of("admin"));
	static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");

	final InMemoryMemberStore members = new InMemoryMemberStore();
	final InMemoryImportLog imports = new InMemoryImportLog();
	final EnrollingMembersTest.MutableClock clock = new EnrollingMembersTest.MutableClock(T0);
	final EnrollingMembers enrolling = new EnrollingMembers(ImportPacingTest.programs(), members, new InMemoryNameIndex(),
			event -> {
			}, clock, new ReferringMembers(members, clock));

	static List<Map<String, String>> rows(int count) {
		List<Map<String, String>> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, String> row = new LinkedHashMap<>();
			row.put("email", "p" + i + "@example.com");
			row.put("name", "Person " + i);
			rows.add(row);
		}
		return rows;
	}

	/** What the import enrolls for a row. */
	static EnrollMember request(Map<String, String> row) {
		EmailAddress email = new EmailAddress(row.get("email"));
		return new EnrollMember(ACME, email, row.get("name"), null, false, "imported", ImportingMembers.keyFor(ACME, email),
				null);
	}

	MemberImport running(String id, int total) {
		return new MemberImport(id, ACME.value(), "CSV", "RUNNING", total, 0, 0, 0, 0, List.of(), clock.instant(), null);
	}

	@Test
	void anImportWhoseNodeStoppedGoesOnFromItsLastFinishedBatch() throws InterruptedException {
		List<Map<String, String>> rows = rows(1_200);
		// the first node: one batch done and recorded, then 120 rows of the next enrolled, then it died
		imports.start(running("stopped-1", rows.size()), new ImportLog.Resumable(rows, STAFF));
		enrolling.enrollAll(STAFF, rows.subList(0, 620).stream().map(ImportResumeTest::request).toList());
		assertThat(imports.progress("stopped-1", 0, 500, 500, 0, List.of(), clock.instant())).isTrue();
		ImportingMembers importing = new ImportingMembers(enrolling, ImportPacingTest.programs(), imports, clock, () -> 0, new MemberImportFigures());

		clock.advance(Duration.ofSeconds(20));
		assertThat(importing.resumeInterrupted()).as("the lease has not run out yet").isZero();
		clock.advance(Duration.ofSeconds(15));
		assertThat(importing.resumeInterrupted()).isEqualTo(1);

		assertThat(imports.finished.await(30, TimeUnit.SECONDS)).as("the import ended").isTrue();
		MemberImport done = imports.find("stopped-1").orElseThrow();
		assertThat(done.status()).isEqualTo("COMPLETED");
		assertThat(done.processed()).isEqualTo(1_200);
		assertThat(done.enrolled()).isEqualTo(500 + 580);
		assertThat(done.existing()).as("the rows enrolled before the stop, found by their keys").isEqualTo(120);
		assertThat(done.failed()).isZero();
		assertThat(members.members).hasSize(1_200);
		assertThat(importing.resumeInterrupted()).isZero();
	}

	@Test
	void anImportWhoseRowsWereNotKeptEndsFailedRatherThanRunningForEver() throws InterruptedException {
		imports.start(running("unkept-1", 3), new ImportLog.Resumable(rows(3), STAFF));
		imports.kept.clear();
		ImportingMembers importing = new ImportingMembers(enrolling, ImportPacingTest.programs(), imports, clock, () -> 0, new MemberImportFigures());
		clock.advance(ImportingMembers.LEASE.plusSeconds(1));

		importing.resumeInterrupted();

		assertThat(imports.find("unkept-1").orElseThrow().status()).isEqualTo("FAILED");
		assertThat(imports.running()).isEmpty();
	}

	@Test
	void aNodeThatLostTheImportStopsAtItsNextWrite() throws InterruptedException {
		CountDownLatch takenOver = new CountDownLatch(1);
		CountDownLatch looking = new CountDownLatch(1);
		// the run's first look at the listeners waits until another node has taken the import over
		ListenerBacklog backlog = () -> {
			looking.countDown();
			try {
				assertThat(takenOver.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException e) {
				throw new IllegalStateException(e);
			}
			return 0;
		};
		ImportingMembers importing = new ImportingMembers(enrolling, ImportPacingTest.programs(), imports, clock, backlog, new MemberImportFigures());
		importing.start(STAFF, "lost-1", ACME, ImportingMembers.Format.CSV, "email,name\nann@example.com,Ann\n",
				line -> Map.of());
		assertThat(looking.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(imports.takeOver("lost-1", 0, clock.instant())).hasValue(1);
		takenOver.countDown();

		// the stale node's batch write is refused: nothing it does shows, and it ends nothing
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> members.members.size() == 1);
		org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
				.until(() -> imports.find("lost-1").orElseThrow().processed() == 0);
		assertThat(imports.find("lost-1").orElseThrow().status()).isEqualTo("RUNNING");
		assertThat(imports.leaseOf("lost-1").orElseThrow().lease()).isEqualTo(1);
	}
}
