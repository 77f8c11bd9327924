package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.mongodb.client.MongoClient;

import io.fidelis.FidelisApplication;
import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovementDesk;
import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.domain.Report;

/**
 * The ledger's promises with two nodes on one store: this test's context is node A, with the
 * embedded server; node B is a second application context that reaches A's server by its URI,
 * as a second process would. Each node has its own per-account locks, settling relay and module
 * listeners, so only the store's conditional writes and key claims keep the two apart. Work is
 * spread over both nodes, and reads are made on the node that did not write.
 */
class TwoNodeLedgerTest extends LedgerFixture {

	@Autowired
	MongoClient client;
	@Autowired
	ReadingReports reportsOnA;

	ConfigurableApplicationContext nodeB;
	MovingPoints movingOnB;
	ReadingBalances readingOnB;

	TwoNodeLedgerTest() {
		super("two-nodes");
	}

	@BeforeAll
	void startSecondNode() {
		int port = client.getClusterDescription().getServerDescriptions().get(0).getAddress().getPort();
		// as arguments, as a second process would be started: they outrank every other source
		nodeB = new SpringApplicationBuilder(FidelisApplication.class).run("--server.port=0",
				"--fidelis.mongodb.uri=mongodb://127.0.0.1:" + port + "/fidelis", "--spring.main.banner-mode=off");
		movingOnB = nodeB.getBean(MovingPoints.class);
		readingOnB = nodeB.getBean(ReadingBalances.class);
	}

	/** Every member this class enrolled, for the reconciliation at the end. */
	final List<String> enrolled = java.util.Collections.synchronizedList(new ArrayList<>());

	@Override
	String member() {
		String member = super.member();
		enrolled.add(member);
		return member;
	}

	/** Node A for even numbers, node B for odd ones. */
	MovingPoints node(int i) {
		return i % 2 == 0 ? moving : movingOnB;
	}

	Moved earn(MovingPoints on, String member, long points) {
		return on.move(POS, new Movement.Earn(member, points, null, null, TILL, "tx-" + UUID.randomUUID(),
				UUID.randomUUID().toString()), false);
	}

	Moved redeem(MovingPoints on, String member, long points, String key) {
		return on.move(POS, new Movement.Redeem(member, points, TILL, "reward", null, key), false);
	}

	/** Runs {@code tasks} at once, task {@code i} made by {@code task.apply(i)}. */
	<T> List<T> concurrently(int tasks, IntFunction<Callable<T>> task) throws Exception {
		List<Future<T>> futures = new ArrayList<>();
		for (int i = 0; i < tasks; i++) {
			futures.add(pool.submit(task.apply(i)));
		}
		List<T> results = new ArrayList<>();
		for (Future<T> f : futures) {
			results.add(f.get());
		}
		return results;
	}

	PointsAccount account(ReadingBalances on, String member) {
		return on.account(new MemberId(member)).orElseThrow();
	}

	/** Balances equal the ledger's sums and the lots'; nothing below zero; both nodes read the same. */
	void assertLedgerHolds(String member) {
		PointsAccount account = account(readingOnB, member);
		List<Entry> all = readingOnB.history(account, null, Integer.MAX_VALUE,
				new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries();
		assertThat(all).hasSize((int) account.version());
		assertThat(all.stream().map(Entry::sequence).distinct()).hasSize(all.size());
		assertThat(all.stream().mapToLong(Entry::availableDelta).sum()).isEqualTo(account.available());
		assertThat(all.stream().mapToLong(Entry::pendingDelta).sum()).isEqualTo(account.pending());
		long spendable = account.lots().stream().filter(l -> !l.pending()).mapToLong(Lot::remaining).sum();
		assertThat(spendable - account.debt()).isEqualTo(account.available());
		assertThat(account.available()).isGreaterThanOrEqualTo(0);
		assertThat(account(reading, member)).isEqualTo(account);
	}

	@Test
	void aDrainFromBothNodesSpendsExactlyWhatIsThere() throws Exception {
		String member = member();
		long balance = 10_000;
		long each = 7;
		earn(moving, member, balance);

		List<Long> successes = concurrently(32, i -> () -> {
			long ok = 0;
			for (int n = 0; n < 200; n++) {
				if (redeem(node(i), member, each, UUID.randomUUID().toString()) instanceof Moved.Done) {
					ok++;
				}
			}
			return ok;
		});

		assertThat(successes.stream().mapToLong(Long::longValue).sum()).isEqualTo(balance / each);
		assertThat(account(reading, member).available()).isEqualTo(balance % each);
		assertLedgerHolds(member);
	}

	/**
	 * Both nodes' desks take batches over the same accounts at once, so a batch's conditional write
	 * often finds an account moved on by the other node: those requests go alone, and still each
	 * applies exactly once. Copies of one key are sent to both desks meanwhile.
	 */
	@Test
	void drainsOfManyAccountsAtBothDesksSpendExactlyWhatIsThere() throws Exception {
		MovementDesk deskOnA = desk;
		MovementDesk deskOnB = nodeB.getBean(MovementDesk.class);
		List<String> members = new ArrayList<>();
		for (int m = 0; m < 16; m++) {
			members.add(member());
			earn(moving, members.get(m), 700);
		}
		List<String> copied = new ArrayList<>();
		for (int k = 0; k < 20; k++) {
			copied.add(UUID.randomUUID().toString());
		}
		long batchedBefore = deskOnA.figures().together() + deskOnB.figures().together();

		Map<String, List<Moved>> copies = new java.util.concurrent.ConcurrentHashMap<>();
		List<Map<String, Long>> spentByTask = concurrently(64, i -> () -> {
			MovementDesk on = i % 2 == 0 ? deskOnA : deskOnB;
			Map<String, Long> spent = new java.util.HashMap<>();
			for (int n = 0; n < 120; n++) {
				List<String> keys = new ArrayList<>(List.of(UUID.randomUUID().toString()));
				String member = members.get((i + n) % members.size());
				if (n < copied.size()) { // every task sends the same 20 requests for member 0 as well
					keys.add(0, copied.get(n));
				}
				for (String key : keys) {
					String whose = key.equals(keys.get(keys.size() - 1)) ? member : members.get(0);
					Moved moved = on.move(POS, new Movement.Redeem(whose, 7, TILL, "reward", null, key), false);
					if (moved instanceof Moved.Done done && !done.replayed()) {
						spent.merge(whose, 7L, Long::sum);
					}
					if (copied.contains(key)) {
						copies.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(moved);
					}
				}
			}
			return spent;
		});

		Map<String, Long> spent = new java.util.HashMap<>();
		spentByTask.forEach(m -> m.forEach((member, points) -> spent.merge(member, points, Long::sum)));
		for (String member : members) {
			assertThat(spent.get(member)).as("spent from %s", member).isEqualTo(700);
			assertThat(account(reading, member).available()).isZero();
			assertLedgerHolds(member);
		}
		copies.forEach((key, answers) -> {
			assertThat(answers).hasSize(64);
			assertThat(answers.stream().map(Object::getClass).distinct()).as("answers to %s", key).hasSize(1);
			if (answers.get(0) instanceof Moved.Done) {
				assertThat(answers.stream().map(a -> ((Moved.Done) a).entry()).distinct()).hasSize(1);
				assertThat(answers.stream().filter(a -> !((Moved.Done) a).replayed())).hasSize(1);
			}
		});
		assertThat(deskOnA.figures().together() + deskOnB.figures().together()).isGreaterThan(batchedBefore);
	}

	@Test
	void sixtyFourCopiesOfOneRequestOnTwoNodesHaveOneEffect() throws Exception {
		String member = member();
		earn(movingOnB, member, 1_000);
		String key = UUID.randomUUID().toString();

		List<Moved> answers = concurrently(64, i -> () -> redeem(node(i), member, 100, key));

		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		assertThat(answers.stream().map(a -> ((Moved.Done) a).entry()).distinct()).hasSize(1);
		assertThat(answers.stream().filter(a -> !((Moved.Done) a).replayed())).hasSize(1);
		assertThat(account(reading, member).available()).isEqualTo(900);
		assertLedgerHolds(member);
	}

	@Test
	void fiveHundredCreditsOnOneAccountFromTwoNodesAddUpExactly() throws Exception {
		String member = member();

		List<Moved> answers = concurrently(500, i -> () -> earn(node(i), member, 3));

		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		assertThat(account(readingOnB, member).available()).isEqualTo(1_500);
		assertLedgerHolds(member);
	}

	@Test
	void transfersBothWaysOnTwoNodesAtOnceLoseAndMakeNothing() throws Exception {
		String one = member();
		String other = member();
		earn(moving, one, 1_000);
		earn(movingOnB, other, 1_000);

		// node A sends one → other while node B sends other → one, 100 each way
		List<Moved> answers = concurrently(200, i -> () -> node(i).move(STAFF, i % 2 == 0
				? new Movement.Transfer(one, other, 3, "pooling", UUID.randomUUID().toString())
				: new Movement.Transfer(other, one, 5, "pooling", UUID.randomUUID().toString()), false));

		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		// a transfer's receiving half may still be on its way when the payer's answer is out
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(account(reading, one).available()).isEqualTo(1_000 - 300 + 500);
			assertThat(account(readingOnB, other).available()).isEqualTo(1_000 + 300 - 500);
		});
		assertLedgerHolds(one);
		assertLedgerHolds(other);
	}

	/**
	 * Property: the random sequences of {@link LedgerInvariantsTest}, each step sent to either
	 * node and each retry to either node, leave every account where a simple model says, and the
	 * reports, kept by both nodes' listeners, count each movement once.
	 */
	@RepeatedTest(3)
	void randomSequencesOnEitherNodeAgreeWithASimpleModelAndTheReports(RepetitionInfo run) {
		Random random = new Random(run.getCurrentRepetition() * 104_729L);
		List<String> members = List.of(member(), member(), member());
		Map<String, Long> model = RandomMovements.send(random, members, 120, "tx-" + run.getCurrentRepetition() + "-",
				() -> node(random.nextInt(2)), POS, STAFF, TILL);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			for (String member : members) {
				assertThat(account(readingOnB, member).available()).as("balance of %s", member)
						.isEqualTo(model.get(member));
			}
		});
		members.forEach(this::assertLedgerHolds);
	}

	/**
	 * After every test, in whichever order they ran, and while both nodes' listeners still run:
	 * the program's report, kept by both, counts each movement and enrollment exactly once.
	 */
	@AfterAll
	void reportsEqualTheLedgerThenStopNodeB() {
		try {
			Map<EntryType, Long> ledger = new java.util.EnumMap<>(EntryType.class);
			for (String member : enrolled) {
				reading.history(account(reading, member), null, Integer.MAX_VALUE,
						new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries()
						.forEach(e -> ledger.merge(e.type(), e.delta(), Long::sum));
			}
			LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
			Caller analyst = new Caller.Staff("finance", java.util.Set.of("admin", "analyst"));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				Report report = reportsOnA.report(analyst, program.value(), today.minusDays(1).toString(),
						today.plusDays(1).toString(), "DAY", null);
				assertThat(report.totals().issued()).isEqualTo(ledger.getOrDefault(EntryType.EARNED, 0L));
				assertThat(report.totals().redeemed()).isEqualTo(ledger.getOrDefault(EntryType.REDEEMED, 0L));
				assertThat(report.totals().reversed()).isEqualTo(ledger.getOrDefault(EntryType.REVERSED, 0L));
				assertThat(report.totals().adjusted()).isEqualTo(ledger.getOrDefault(EntryType.ADJUSTED, 0L));
				assertThat(report.totals().transferred()).isEqualTo(ledger.getOrDefault(EntryType.TRANSFERRED_OUT, 0L)
						+ ledger.getOrDefault(EntryType.TRANSFERRED_IN, 0L));
				assertThat(report.totals().enrolments()).isEqualTo(enrolled.size());
			});
		}
		finally {
			if (nodeB != null) {
				nodeB.close();
			}
		}
	}
}
