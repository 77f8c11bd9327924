package io.fidelis.points.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.MovingPoints.Together;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.ReturnPolicy;
import io.fidelis.points.domain.Source;

/**
 * A batch's failure paths: a write that fails or whose answer is lost is told to its requests,
 * and each retry with its key counts once; an account that moved on, or keys that cannot be
 * claimed, send the requests alone with nothing applied.
 */
class MovingTogetherTest {

	static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
	static final Caller POS = new Caller.IntegrationClient("pos-1", Set.of("points:write"));
	static final Source TILL = new Source(Channel.IN_STORE, "FR", "paris-1", null, null);
	static final PointRules RULES = new PointRules("acme", ZoneId.of("Europe/Paris"),
			Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)), 1, 0, new ExpiryPolicy.RollingMonths(12),
			ReturnPolicy.WITHIN_BALANCE, true);

	/** What the next batch write does instead of writing; null: write. */
	Function<List<AccountStore.Write>, List<Boolean>> nextBatchWrite;
	boolean claimsFail;

	final InMemoryAccountStore accounts = new InMemoryAccountStore() {
		@Override
		public List<Boolean> applyAll(List<Write> writes) {
			Function<List<Write>, List<Boolean>> instead = nextBatchWrite;
			nextBatchWrite = null;
			return instead != null ? instead.apply(writes) : super.applyAll(writes);
		}
	};
	final Map<String, RequestLog.Claim> claims = new ConcurrentHashMap<>();
	final RequestLog requests = new RequestLog() {
		@Override
		public synchronized Claim claim(String key, String fingerprint, String memberId, long from) {
			Claim held = claims.get(key);
			if (held != null) {
				return held;
			}
			claims.put(key, new Claim(key, fingerprint, memberId, null, from, false));
			return new Claim(key, fingerprint, memberId, null, from, true);
		}

		@Override
		public List<Boolean> claimAll(List<Claim> all) {
			if (claimsFail) {
				throw new IllegalStateException("the store went away");
			}
			return RequestLog.super.claimAll(all);
		}

		@Override
		public synchronized void recordRefusal(String key, Result refusal) {
			claims.computeIfPresent(key, (k, c) -> new Claim(k, c.fingerprint(), c.memberId(), refusal, c.from(), false));
		}

		@Override
		public Optional<Claim> find(String key) {
			return Optional.ofNullable(claims.get(key));
		}
	};
	/** Members the directory says are suspended, and every batch read of statuses, as asked. */
	final Set<String> suspended = ConcurrentHashMap.newKeySet();
	final List<Set<String>> statusReads = new java.util.concurrent.CopyOnWriteArrayList<>();
	final MemberDirectory directory = (MemberDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { MemberDirectory.class }, (proxy, method, args) -> switch (method.getName()) {
				case "isActive" -> !suspended.contains(((io.fidelis.members.MemberId) args[0]).value());
				case "activeAmong" -> {
					Set<String> asked = ((java.util.Collection<?>) args[0]).stream()
							.map(m -> ((io.fidelis.members.MemberId) m).value()).collect(Collectors.toSet());
					statusReads.add(asked);
					yield ((java.util.Collection<?>) args[0]).stream()
							.filter(m -> !suspended.contains(((io.fidelis.members.MemberId) m).value())).collect(Collectors.toSet());
				}
				default -> throw new UnsupportedOperationException(method.getName());
			});
	final RuleBook ruleBook = (RuleBook) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { RuleBook.class },
			(proxy, method, args) -> switch (method.getName()) {
				case "find" -> Optional.of(RULES);
				default -> throw new UnsupportedOperationException(method.getName());
			});
	final Schedule schedule = (Schedule) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Schedule.class },
			(proxy, method, args) -> null);
	final BalanceFeed feed = (BalanceFeed) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { BalanceFeed.class }, (proxy, method, args) -> null);
	final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
	final MovingPoints moving = new MovingPoints(accounts, requests, new SettingRules(ruleBook, directory), directory, clock,
			new SettlingAccounts(accounts, schedule, event -> {
			}, feed), new OpeningAccounts(accounts, event -> {
			}, clock, feed), new PointsFigures());

	List<Movement> earns(String... members) {
		List<Movement> earns = new ArrayList<>();
		for (String member : members) {
			accounts.openIfAbsent(PointsAccount.open(member, "acme", NOW));
			earns.add(new Movement.Earn(member, 10L, null, null, TILL, "tx-" + member, "key-of-" + member));
		}
		return earns;
	}

	List<Together> together(List<Movement> movements) {
		return moving.moveTogether(movements.stream().map(m -> POS).toList(), movements);
	}

	@Test
	void statusesAreReadOnlyForMembersTheirCallersHaveNotFoundActive() {
		suspended.add("m_b");
		List<Movement> movements = earns("m_a", "m_b", "m_c");
		List<Together> answers = moving.moveTogether(movements.stream().map(m -> POS).toList(), movements,
				java.util.Collections.nCopies(3, null), List.of(true, false, false));

		assertThat(statusReads).containsExactly(Set.of("m_b", "m_c"));
		assertThat(answers.get(0).moved()).isInstanceOf(Moved.Done.class);
		assertThat(((Moved.Refused) answers.get(1).moved()).refusal().reason())
				.isEqualTo(io.fidelis.points.domain.Refusal.Reason.CONFLICT);
		assertThat(answers.get(2).moved()).isInstanceOf(Moved.Done.class);

		List<Movement> found = earns("m_d", "m_e");
		moving.moveTogether(found.stream().map(m -> POS).toList(), found, java.util.Collections.nCopies(2, null),
				List.of(true, true));
		assertThat(statusReads).as("every caller read its member's status: no read").hasSize(1);
		assertThat(available("m_d") + available("m_e")).isEqualTo(20);
	}

	long available(String member) {
		return accounts.find(member).orElseThrow().account().available();
	}

	@Test
	void aBatchAppliesEachRequestOnceWithItsOwnEntry() {
		List<Together> answers = together(earns("m_a", "m_b", "m_c"));

		assertThat(answers).allSatisfy(a -> assertThat(((Moved.Done) a.moved()).replayed()).isFalse());
		assertThat(answers.stream().map(a -> ((Moved.Done) a.moved()).entry().request()).collect(Collectors.toSet()))
				.containsExactlyInAnyOrder("client:pos-1|key-of-m_a", "client:pos-1|key-of-m_b", "client:pos-1|key-of-m_c");
		assertThat(available("m_b")).isEqualTo(10);
	}

	@Test
	void aWriteThatFailedBeforeWritingIsToldAndItsRetryAppliesOnce() {
		List<Movement> earns = earns("m_a", "m_b");
		IllegalStateException dropped = new IllegalStateException("connection reset");
		nextBatchWrite = writes -> {
			throw dropped;
		};

		List<Together> answers = together(earns);

		assertThat(answers).allSatisfy(a -> assertThat(a.failure()).isSameAs(dropped));
		for (Movement earn : earns) {
			Moved retried = moving.move(POS, earn, false);
			assertThat(((Moved.Done) retried).replayed()).as("nothing was applied before").isFalse();
			assertThat(available(earn.memberId())).isEqualTo(10);
		}
	}

	@Test
	void aWriteWhoseAnswerWasLostIsToldAndItsRetryReplaysTheEntry() {
		List<Movement> earns = earns("m_a", "m_b");
		nextBatchWrite = writes -> {
			writes.forEach(w -> accounts.apply(w.expectedVersion(), w.after(), w.entries())); // applied...
			throw new IllegalStateException("...but the answer never came back");
		};

		List<Together> answers = together(earns);

		assertThat(answers).allSatisfy(a -> assertThat(a.failure()).isNotNull());
		for (Movement earn : earns) {
			Moved retried = moving.move(POS, earn, false);
			assertThat(((Moved.Done) retried).replayed()).isTrue();
			assertThat(((Moved.Done) retried).entry().sequence()).isEqualTo(1);
			assertThat(available(earn.memberId())).as("counted once").isEqualTo(10);
		}
	}

	@Test
	void anAccountThatMovedOnSendsItsRequestAloneWhichFindsItsClaimAndAppliesOnce() {
		List<Movement> earns = earns("m_a", "m_b");
		nextBatchWrite = writes -> {
			// another node changes m_b first: its write in the batch is refused
			PointsAccount b = accounts.find("m_b").orElseThrow().account();
			var other = ((PointsAccount.Outcome.Applied) b.earn(5, RULES, new PointsAccount.Context(NOW, TILL, "tx-other",
					null, "client:pos-2|other", null, "client:pos-2"))).change();
			accounts.apply(b.version(), other.account(), other.entries());
			return accounts.applyAll(writes);
		};

		List<Together> answers = together(earns);

		assertThat(answers.get(0).moved()).isInstanceOf(Moved.Done.class);
		assertThat(answers.get(1).alone()).isTrue();
		assertThat(claims).containsKey("client:pos-1|key-of-m_b");
		Moved alone = moving.move(POS, earns.get(1), false);
		assertThat(((Moved.Done) alone).replayed()).isFalse();
		assertThat(available("m_b")).isEqualTo(15);
		assertThat(available("m_a")).isEqualTo(10);
	}

	@Test
	void keysThatCannotBeClaimedSendEveryRequestAloneWithNothingApplied() {
		List<Movement> earns = earns("m_a", "m_b");
		claimsFail = true;

		assertThat(together(earns)).allSatisfy(a -> assertThat(a.alone()).isTrue());
		assertThat(available("m_a")).isZero();
		assertThat(claims).isEmpty();
	}

	@Test
	void aRetryOrACopyInTheBatchGoesAloneAndIsAnsweredAsTheFirst() {
		List<Movement> earns = earns("m_a");
		Moved first = moving.move(POS, earns.get(0), false);
		earns("m_b");

		List<Together> answers = together(List.of(earns.get(0), new Movement.Earn("m_b", 3L, null, null, TILL, "tx-b",
				"key-of-m_b")));

		assertThat(answers.get(0).alone()).as("its key is in the journal: the single way replays it").isTrue();
		assertThat(((Moved.Done) moving.move(POS, earns.get(0), false)).entry()).isEqualTo(((Moved.Done) first).entry());
		assertThat(answers.get(1).moved()).isInstanceOf(Moved.Done.class);
	}
}
