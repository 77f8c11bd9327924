package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;

/**
 * The ledger's promises, through the real use cases and Mongo adapters on the embedded server:
 * balances equal the ledger and the lots, nothing goes below zero, a retry applies at most once,
 * and concurrency changes none of it.
 */
class LedgerInvariantsTest extends LedgerFixture {

	LedgerInvariantsTest() {
		super("ledger");
	}

	Moved earn(String member, long points) {
		return moving.move(POS, new Movement.Earn(member, points, null, null, TILL, "tx-" + UUID.randomUUID(),
				UUID.randomUUID().toString()), false);
	}

	Moved redeem(String member, long points, String key) {
		return moving.move(POS, new Movement.Redeem(member, points, TILL, "reward", null, key), false);
	}

	<T> List<T> concurrently(int tasks, Callable<T> task) throws Exception {
		List<Future<T>> futures = new ArrayList<>();
		for (int i = 0; i < tasks; i++) {
			futures.add(pool.submit(task));
		}
		List<T> results = new ArrayList<>();
		for (Future<T> f : futures) {
			results.add(f.get());
		}
		return results;
	}

	/** Balances equal the ledger's sums and the lots'; nothing below zero. */
	void assertLedgerHolds(String member) {
		PointsAccount account = reading.account(new io.fidelis.members.MemberId(member)).orElseThrow();
		List<Entry> all = reading.history(account, null, Integer.MAX_VALUE,
				new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries();
		assertThat(all).hasSize((int) account.version());
		assertThat(all.stream().mapToLong(Entry::availableDelta).sum()).isEqualTo(account.available());
		assertThat(all.stream().mapToLong(Entry::pendingDelta).sum()).isEqualTo(account.pending());
		long spendable = account.lots().stream().filter(l -> !l.pending()).mapToLong(Lot::remaining).sum();
		assertThat(spendable - account.debt()).isEqualTo(account.available());
		assertThat(account.available()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void aConcurrentDrainSpendsExactlyWhatIsThere() throws Exception {
		String member = member();
		long balance = 10_000;
		long each = 7;
		earn(member, balance);

		List<Long> successes = concurrently(32, () -> {
			long ok = 0;
			for (int i = 0; i < 200; i++) {
				if (redeem(member, each, UUID.randomUUID().toString()) instanceof Moved.Done) {
					ok++;
				}
			}
			return ok;
		});

		assertThat(successes.stream().mapToLong(Long::longValue).sum()).isEqualTo(balance / each);
		assertThat(reading.account(new io.fidelis.members.MemberId(member)).orElseThrow().available())
				.isEqualTo(balance % each);
		assertLedgerHolds(member);
	}

	@Test
	void sixtyFourCopiesOfOneRequestHaveOneEffect() throws Exception {
		String member = member();
		earn(member, 1_000);
		String key = UUID.randomUUID().toString();

		List<Moved> answers = concurrently(64, () -> redeem(member, 100, key));

		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		assertThat(answers.stream().map(a -> ((Moved.Done) a).entry().sequence()).distinct()).hasSize(1);
		assertThat(answers.stream().filter(a -> !((Moved.Done) a).replayed())).hasSize(1);
		assertThat(reading.account(new io.fidelis.members.MemberId(member)).orElseThrow().available()).isEqualTo(900);
		assertLedgerHolds(member);
	}

	@Test
	void fiveHundredConcurrentCreditsAddUpExactly() throws Exception {
		String member = member();
		List<Moved> answers = concurrently(500, () -> earn(member, 3));
		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		assertThat(reading.account(new io.fidelis.members.MemberId(member)).orElseThrow().available()).isEqualTo(1_500);
		assertLedgerHolds(member);
	}

	@Test
	void aTransferMovesPointsBetweenTwoMembersOfOneProgram() {
		String payer = member();
		String receiver = member();
		earn(payer, 500);

		Moved moved = moving.move(STAFF, new Movement.Transfer(payer, receiver, 200, "family pooling",
				UUID.randomUUID().toString()), false);

		assertThat(moved).isInstanceOf(Moved.Done.class);
		assertThat(reading.account(new io.fidelis.members.MemberId(payer)).orElseThrow().available()).isEqualTo(300);
		assertThat(reading.account(new io.fidelis.members.MemberId(receiver)).orElseThrow().available()).isEqualTo(200);
		assertLedgerHolds(payer);
		assertLedgerHolds(receiver);
	}

	@Test
	void transfersBothWaysAtOnceLoseAndMakeNothing() throws Exception {
		String one = member();
		String other = member();
		earn(one, 1_000);
		earn(other, 1_000);

		// each completion of a transfer settles the receiver's journal, which holds the receiver's own
		// transfers out: completing those from there chained completions between the two without end
		List<Moved> answers = concurrently(200, new Callable<>() {
			final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();

			@Override
			public Moved call() {
				boolean oneWay = sent.getAndIncrement() % 2 == 0;
				return moving.move(STAFF, oneWay ? new Movement.Transfer(one, other, 3, "pooling", UUID.randomUUID().toString())
						: new Movement.Transfer(other, one, 5, "pooling", UUID.randomUUID().toString()), false);
			}
		});

		assertThat(answers).allSatisfy(a -> assertThat(a).isInstanceOf(Moved.Done.class));
		// a receiving half may still be on its way when the payer's answer is out
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(reading.account(new io.fidelis.members.MemberId(one)).orElseThrow().available()).isEqualTo(1_200);
			assertThat(reading.account(new io.fidelis.members.MemberId(other)).orElseThrow().available()).isEqualTo(800);
		});
		assertLedgerHolds(one);
		assertLedgerHolds(other);
	}

	/**
	 * Property: random sequences of earn, redeem, adjust, reverse and transfer, with retries of
	 * earlier keys mixed in, leave every account where a simple model says, and the ledger whole.
	 * Seeded per repetition, so a failure replays.
	 */
	@RepeatedTest(5)
	void randomSequencesAgreeWithASimpleModel(RepetitionInfo run) {
		List<String> members = List.of(member(), member(), member());
		Map<String, Long> model = RandomMovements.send(new Random(run.getCurrentRepetition() * 7919L), members, 150,
				"tx-", () -> moving, POS, STAFF, TILL);
		for (String member : members) {
			assertThat(reading.account(new io.fidelis.members.MemberId(member)).orElseThrow().available())
					.as("balance of %s", member).isEqualTo(model.get(member));
			assertLedgerHolds(member);
		}
	}
}
