package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.PointsAccountOpened;
import io.fidelis.points.application.ReadingBalances;

/**
 * Members and points together, through events only: an enrollment opens a points account.
 * (That a second delivery opens nothing more is shown in the points module, deterministically.)
 */
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0" })
@EnableScenarios
class MemberEnrolledOpensPointsAccountTest {

	static final Caller POS = new Caller.IntegrationClient("pos-scenario", Set.of("members:write"));

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	ReadingBalances balances;

	ProgramId program() {
		ProgramId id = new ProgramId("scenario");
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(id, "Scenario", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		return id;
	}

	@Test
	void enrollingAMemberOpensTheirPointsAccount(Scenario scenario) {
		ProgramId program = program();
		EnrollMember request = new EnrollMember(program, new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann",
				null, false, "v1", UUID.randomUUID().toString());

		scenario.stimulate(() -> (EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS, request))
				.andWaitForEventOfType(PointsAccountOpened.class)
				.toArriveAndVerify((opened, enrolled) -> {
					assertThat(opened.memberId()).isEqualTo(enrolled.member().id());
					assertThat(opened.programId()).isEqualTo(program);
					assertThat(balances.account(opened.memberId())).hasValueSatisfying(a -> assertThat(a.available()).isZero());
				});
	}
}
