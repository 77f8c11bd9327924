package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.application.ReferringMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.ReferralCode;
import io.fidelis.points.application.PayingReferrals;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.domain.ReferralRules;

/**
 * Members and points through events only: an enrollment that gives a member's referral code
 * reaches points as {@code MemberEnrolled} naming the referrer, and points pays both sides.
 */
// A context of its own (the last property only sets it apart): a scenario hands its event capture to every
// thread started while it runs (an InheritableThreadLocal), and the listener threads this test starts would
// otherwise serve the next scenario of a shared context with this one's capture.
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
		"fidelis.test.context=referrals" })
@EnableScenarios
class ReferralPaysBothSidesTest {

	static final Caller POS = new Caller.IntegrationClient("pos-scenario", Set.of("members:write"));
	static final Caller ADMIN = new Caller.Staff("test", Set.of("admin"));

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	ReferringMembers referring;
	@Autowired
	PayingReferrals referrals;
	@Autowired
	ReadingBalances balances;

	Member enroll(ProgramId program, String code) {
		return ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS, new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann", null, false, "v1", UUID.randomUUID().toString(),
				null, null, null, code == null ? null : ReferralCode.typed(code)))).member();
	}

	@Test
	void aReferredEnrollmentPaysTheReferrerAndTheFriend(Scenario scenario) {
		ProgramId program = new ProgramId("referrals");
		programs.define(ADMIN, new DefineProgram(program, "Referrals", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
				.until(() -> referrals.rules(ADMIN, program.value()).isPresent());
		referrals.replace(ADMIN, new ReferralRules(program.value(), 300, 100));
		Member ann = enroll(program, null);
		String code = referring.codeOf(ann.id(), program, ann.status().name()).orElseThrow().value();

		// the bonuses are settled into events on the ledger's relay thread: wait for the balances they leave
		scenario.stimulate(() -> enroll(program, code))
				.andWaitForStateChange(() -> balances.account(new MemberId(ann.id().value())).map(a -> a.available()).orElse(0L),
						available -> available > 0)
				.andVerify((annAvailable, bob) -> {
					assertThat(annAvailable).as("the referrer's bonus, once").isEqualTo(300);
					assertThat(bob.referredBy()).isEqualTo(ann.id());
					org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
							balances.account(bob.id())).hasValueSatisfying(a -> assertThat(a.available()).isEqualTo(100)));
				});
	}
}
