package io.fidelis.ledger;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import io.fidelis.members.ProgramId;
import io.fidelis.members.application.DefineProgram;
import io.fidelis.members.application.DefiningPrograms;
import io.fidelis.members.application.EnrollingMembers;
import io.fidelis.points.application.ClockWork;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.application.SettingRules;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.ReturnPolicy;

/**
 * The application with a clock the tests move, and the use cases they drive. Tests extending it
 * share one context, so each works from wherever the clock stands.
 */
@Import(MovableClockConfiguration.class)
@SpringBootTest(properties = { "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
		"fidelis.points.clockwork-interval=PT1H" })
abstract class LedgerUnderAMovingClock {

	static final MovableClock CLOCK = MovableClockConfiguration.CLOCK;
	static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Autowired
	ClockWork clockWork;
	@Autowired
	MovingPoints moving;
	@Autowired
	ReadingBalances reading;
	@Autowired
	DefiningPrograms programs;
	@Autowired
	SettingRules rules;
	@Autowired
	EnrollingMembers enrolling;
	@Autowired
	io.fidelis.points.application.AccountStore accounts;

	/**
	 * Waits until the member's changes are settled: the due days that the clockwork reads are
	 * written by settling, after the change was answered.
	 */
	void awaitSettled(String member) {
		await().atMost(Duration.ofSeconds(20)).until(() -> accounts.find(member).orElseThrow().journal().isEmpty());
	}

	/** A program in Paris earning one point per euro, with these pending days, expiry and return policy. */
	ProgramId programWithRules(String id, Set<String> regions, int pendingDays, ExpiryPolicy expiry,
			ReturnPolicy returns) {
		ProgramId program = new ProgramId(id);
		programs.define(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new DefineProgram(program, id, Set.of("EUR"), regions, PARIS.getId()));
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program.value()).isPresent());
		rules.replace(new io.fidelis.members.Caller.Staff("test", java.util.Set.of("admin")), new PointRules(program.value(), PARIS, Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)),
				1, pendingDays, expiry, returns, true));
		return program;
	}
}
