package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.cards.application.CardStore;
import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.offers.application.OfferStore;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.reporting.application.ReportStore;

/**
 * An import's batch of enrollments is announced in one event ({@code MembersEnrolled}): every
 * module does for each of its members what it does for a member enrolled alone (an account, a
 * card, offer facts, a counted enrollment).
 */
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0" })
@EnableScenarios
@org.springframework.test.annotation.DirtiesContext
class MembersEnrolledTogetherTest {

	static final Caller POS = new Caller.IntegrationClient("pos-batch", Set.of("members:write"));

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	ReadingBalances balances;
	@Autowired
	CardStore cards;
	@Autowired
	OfferStore offers;
	@Autowired
	ReportStore reports;

	@Test
	void every_member_of_a_batch_gets_an_account_a_card_offer_facts_and_is_counted(Scenario scenario) {
		ProgramId program = new ProgramId("batch-scenario");
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, "Batch", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		List<EnrollMember> requests = IntStream.range(0, 7).mapToObj(i -> new EnrollMember(program,
				new EmailAddress(UUID.randomUUID() + "@example.com"), "Person " + i, null, i % 2 == 0, "v1",
				UUID.randomUUID().toString())).toList();

		scenario.stimulate(() -> enrolling.enrollAll(POS, requests).stream()
				.map(o -> ((EnrollingMembers.Outcome.Enrolled) o).member().id()).toList())
				.andWaitForStateChange(() -> reports.totals(program.value()).members(), counted -> counted == 7)
				.andVerify((counted, enrolled) -> {
					assertThat(enrolled).hasSize(7);
					for (int i = 0; i < enrolled.size(); i++) {
						MemberId member = enrolled.get(i);
						String name = "Person " + i;
						boolean optedIn = i % 2 == 0;
						org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
							assertThat(balances.account(member)).as("account of %s", member).isPresent();
							assertThat(cards.findByMember(member.value())).as("card of %s", member).hasValueSatisfying(
									card -> assertThat(card.memberName()).isEqualTo(name));
							assertThat(offers.facts(member.value())).as("offer facts of %s", member).hasValueSatisfying(
									facts -> assertThat(facts.marketingConsent()).as("consent as given").isEqualTo(optedIn));
						});
					}
					assertThat(reports.totals(program.value()).members()).as("counted once each").isEqualTo(7);
				});
	}
}
