package io.fidelis.offers.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramDefined;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.ChallengeCompleted;
import io.fidelis.offers.domain.Challenge;
import io.fidelis.offers.domain.ChallengeProgress;
import io.fidelis.points.OfferBonusAwarded;
import io.fidelis.points.PurchaseRecorded;

/**
 * Purchases read a program's challenges once per interval (two seconds), except right after one is
 * defined on this node; a challenge reached is told to points (the bonus) and to everyone (its
 * completion), again the same when the purchase comes again, and its progress is saved once.
 */
class KeepingChallengesTest {

	static final Instant NOW = Instant.parse("2026-12-08T09:00:00Z");
	static final Caller ADMIN = new Caller.Staff("ops", Set.of("admin"));

	int challengeReads;
	int progressWrites;
	final Map<String, List<Challenge>> challenges = new HashMap<>();
	final Map<String, ChallengeProgress> progress = new HashMap<>();
	final List<Object> published = new ArrayList<>();

	final ChallengeStore store = new ChallengeStore() {
		@Override
		public void save(Challenge c) {
			challenges.computeIfAbsent(c.programId(), p -> new ArrayList<>()).add(c);
		}

		@Override
		public List<Challenge> challenges(String programId) {
			challengeReads++;
			return List.copyOf(challenges.getOrDefault(programId, List.of()));
		}

		@Override
		public Optional<ChallengeProgress> progress(String memberId) {
			return Optional.ofNullable(progress.get(memberId));
		}

		@Override
		public boolean save(ChallengeProgress p) {
			ChallengeProgress now = progress.get(p.memberId());
			if ((now == null ? 0 : now.revision()) != p.revision()) {
				return false;
			}
			progressWrites++;
			progress.put(p.memberId(), p.stored(p.revision() + 1));
			return true;
		}

		@Override
		public void forget(String memberId) {
			progress.remove(memberId);
		}
	};

	final MemberDirectory members = (MemberDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { MemberDirectory.class }, (proxy, method, args) -> switch (method.getName()) {
				case "programDefinition" -> Optional.of(new ProgramDefined((ProgramId) args[0], "Acme", Set.of("EUR"),
						ZoneOffset.UTC, Set.of(), NOW));
				default -> throw new UnsupportedOperationException(method.getName());
			});

	// read again after an hour: the test does not depend on how fast the machine runs it
	final KeepingChallenges keeping = new KeepingChallenges(store, members, published::add, Clock.fixed(NOW, ZoneOffset.UTC),
			Duration.ofHours(1));

	static PurchaseRecorded purchase(String order) {
		return new PurchaseRecorded(new MemberId("m_1"), new ProgramId("acme"), order, "client:pos", "paris", null, "IN_STORE",
				"FR", "EUR", new BigDecimal("4.00"), List.of(new PurchaseRecorded.Line("LATTE", "coffee", BigDecimal.ONE,
						new BigDecimal("4.00"))), 4, NOW, 4, 1);
	}

	static Challenge twoCoffees(String id) {
		return new Challenge("acme", id, "Two coffees", null, Challenge.Goal.PURCHASES, new BigDecimal("2"), "coffee",
				NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)), 300, true);
	}

	@Test
	void purchasesReadTheChallengesOncePerIntervalAndADefinitionIsSeenAtOnce() {
		keeping.purchased(purchase("o-0"));
		keeping.purchased(purchase("o-1"));
		assertThat(challengeReads).as("none running: one read for both purchases").isEqualTo(1);
		assertThat(progressWrites).as("nothing to count, nothing written").isZero();

		keeping.define(ADMIN, twoCoffees("coffees"));
		keeping.purchased(purchase("o-2"));
		keeping.purchased(purchase("o-3"));
		assertThat(challengeReads).as("read again after the definition, once").isEqualTo(2);
		assertThat(progressWrites).isEqualTo(2);
		assertThat(published).hasSize(2);
		assertThat(published.get(0)).isInstanceOfSatisfying(OfferBonusAwarded.class, b -> {
			assertThat(b.awardId()).isEqualTo("challenge:coffees:m_1");
			assertThat(b.points()).isEqualTo(300);
		});
		assertThat(published.get(1)).isInstanceOfSatisfying(ChallengeCompleted.class,
				c -> assertThat(c.order()).isEqualTo("client:pos:o-3"));

		keeping.purchased(purchase("o-3")); // the completing purchase told again
		assertThat(progressWrites).as("counted once").isEqualTo(2);
		assertThat(published).hasSize(4);
		assertThat(published.get(2)).isEqualTo(published.get(0));
		assertThat(published.get(3)).isEqualTo(published.get(1));
	}
}
