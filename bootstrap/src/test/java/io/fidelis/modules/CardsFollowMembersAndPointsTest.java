package io.fidelis.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;

import io.fidelis.cards.application.CardStore;
import io.fidelis.cards.domain.WalletCard;
import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollMember;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.members.application.ReplacingCards;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.Source;

/**
 * Members, points and cards together, through events only: an enrollment issues a card, an
 * earning moves its balance, and a card replaced after a loss carries the new number.
 */
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0" })
@EnableScenarios
// Scenario sees events published on executor threads through a binding those threads inherit when they
// are created; a later scenario in the same context would reuse threads bound to this one
@org.springframework.test.annotation.DirtiesContext
class CardsFollowMembersAndPointsTest {

	static final Caller POS = new Caller.IntegrationClient("pos-cards", Set.of("members:write", "points:write"));

	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	MovingPoints moving;
	@Autowired
	ReplacingCards replacing;
	@Autowired
	CardStore cards;

	@Test
	void the_card_follows_enrollment_points_and_a_replaced_card_number(Scenario scenario) {
		ProgramId program = new ProgramId("cards-scenario");
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, "Scenario", Set.of("EUR"), Set.of("FR"), "Europe/Paris"));
		EnrollingMembers.Outcome.Enrolled enrolled = (EnrollingMembers.Outcome.Enrolled) enrolling.enroll(POS,
				new EnrollMember(program, new EmailAddress(UUID.randomUUID() + "@example.com"), "Ann", null, false, "v1",
						UUID.randomUUID().toString()));
		String member = enrolled.member().id().value();

		scenario.stimulate(() -> moving.move(POS, new MovingPoints.Movement.Earn(member, null, new BigDecimal("12.00"),
				"EUR", new Source(Channel.IN_STORE, "FR", "paris-01", null, null), "t-1", UUID.randomUUID().toString()),
				false))
				.andWaitForStateChange(() -> cards.findByMember(member).map(WalletCard::available).orElse(0L),
						balance -> balance == 12L)
				.andVerify(balance -> assertThat(cards.findByMember(member).orElseThrow().cardNumber())
						.isEqualTo(enrolled.member().cardNumber().value()));

		String firstPass = cards.findByMember(member).orElseThrow().serialNumber();
		scenario.stimulate(() -> (ReplacingCards.Outcome.Replaced) replacing.reportCard(
				new Caller.Staff("sam", Set.of("support")), enrolled.member().id(), enrolled.member().cardNumber(), "LOST"))
				.andWaitForStateChange(() -> cards.findByMember(member).map(WalletCard::cardNumber).orElse(""),
						// "" while the lost pass is retired and before its successor is stored
						number -> !number.isEmpty() && !number.equals(enrolled.member().cardNumber().value()))
				.andVerify((number, replaced) -> {
					assertThat(number).isEqualTo(replaced.member().cardNumber().value());
					// lost: a new pass, and the old one voided for good
					assertThat(cards.findByMember(member).orElseThrow().serialNumber()).isNotEqualTo(firstPass);
					assertThat(cards.find(firstPass).orElseThrow()).satisfies(old -> {
						assertThat(old.retired()).isTrue();
						assertThat(old.status()).isEqualTo(WalletCard.CardStatus.VOIDED);
					});
				});
	}
}
