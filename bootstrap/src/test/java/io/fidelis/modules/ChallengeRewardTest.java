package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberIdentifier;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.offers.application.KeepingChallenges;
import io.fidelis.offers.domain.Challenge;
import io.fidelis.points.OfferBonusAwarded;
import io.fidelis.points.application.ManagingMerchants;
import io.fidelis.points.application.RecordingPurchases;
import io.fidelis.points.application.SettingRules;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Purchase;
import io.fidelis.points.domain.PurchaseLine;
import io.fidelis.points.domain.Store;

/**
 * Points and offers through events only: a purchase points records reaches offers as
 * {@code PurchaseRecorded}, moves the member's challenge, and the challenge reached comes back to
 * points as an {@code OfferBonusAwarded} keyed by the challenge and the member.
 */
// a context of its own: see ReferralPaysBothSidesTest
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
		"fidelis.test.context=challenges" })
@EnableScenarios
class ChallengeRewardTest {

	static final Caller POS = new Caller.IntegrationClient("pos-scenario", Set.of("members:write", "points:write"));
	static final Caller ADMIN = new Caller.Staff("test", Set.of("admin"));

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	SettingRules rules;
	@Autowired
	ManagingMerchants merchants;
	@Autowired
	RecordingPurchases purchases;
	@Autowired
	KeepingChallenges challenges;
	@Autowired
	io.fidelis.points.application.ReadingBalances balances;

	@Test
	void aPurchaseThatReachesAChallengePaysItsBonusThroughTheLedger(Scenario scenario) {
		ProgramId program = new ProgramId("challenges");
		programs.define(ADMIN, new DefineProgram(program, "Challenges", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program.value()).isPresent());
		merchants.defineStore(new Store(program.value(), "paris-01", "Paris", "FR"));
		challenges.define(ADMIN, new Challenge(program.value(), "first-coffee", "First coffee", null,
				Challenge.Goal.PURCHASES, BigDecimal.ONE, "coffee", Instant.now().minus(Duration.ofDays(1)),
				Instant.now().plus(Duration.ofDays(1)), 250, true));
		String member = ((EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS, new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann", null, false, "v1", UUID.randomUUID().toString())))
				.member().id().value();
		Purchase coffee = new Purchase("order-1", "paris-01", null, Channel.IN_STORE, "FR", "EUR",
				List.of(new PurchaseLine("ESPRESSO", "coffee", BigDecimal.ONE, new BigDecimal("2.50"))), new BigDecimal("2.50"));

		scenario.stimulate(() -> purchases.recordPurchase(POS, program, new MemberIdentifier(member, null, null, null), coffee))
				.andWaitForEventOfType(OfferBonusAwarded.class).matching(b -> b.offerId().equals("challenge:first-coffee"))
				.toArriveAndVerify(bonus -> {
					assertThat(bonus.memberId().value()).isEqualTo(member);
					assertThat(bonus.points()).isEqualTo(250);
					assertThat(bonus.awardId()).isEqualTo("challenge:first-coffee:" + member);
				});

		// the bonus reaches the ledger (that a completion told again pays once is KeepingChallengesTest's and
		// ChallengesApiTest's: a scenario's events are the whole test's, so a second wait would find this one)
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(balances
				.account(new io.fidelis.members.MemberId(member)).orElseThrow().available()).isEqualTo(2 + 250));
	}
}
