package io.fidelis.ledger;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.application.SettingRules;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Source;

/**
 * The application on the embedded store (one shared context), the use cases the ledger tests
 * drive, a program of their own with its rules in place, and fresh members in it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LedgerFixture {

	static final Caller POS = new Caller.IntegrationClient("pos-ledger", Set.of("points:write", "members:write"));
	static final Caller STAFF = new Caller.Staff("ops", Set.of("admin"));
	static final Source TILL = new Source(Channel.IN_STORE, "FR", "paris-1", null, null);

	@Autowired
	MovingPoints moving;
	@Autowired
	io.fidelis.points.application.MovementDesk desk;
	@Autowired
	ReadingBalances reading;
	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	SettingRules rules;

	final ExecutorService pool = Executors.newFixedThreadPool(64);
	final ProgramId program;

	LedgerFixture(String programId) {
		this.program = new ProgramId(programId);
	}

	@BeforeAll
	void program() {
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, program.value(), Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program.value()).isPresent());
	}

	@AfterAll
	void stop() {
		pool.shutdownNow();
	}

	String member() {
		EnrollMember request = new EnrollMember(program, new EmailAddress(UUID.randomUUID() + "@example.com"), "M",
				null, false, "v1", UUID.randomUUID().toString());
		return ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS, request)).member().id().value();
	}
}
