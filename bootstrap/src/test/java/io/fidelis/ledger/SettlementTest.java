package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.Refusal;

/**
 * Movements are answered once the account is written and settled afterwards, many accounts at a
 * time: what was answered reaches the history (where a retry finds it) and the events; a journal that no
 * batch was told about (a crash between the write and the queue) is found by the next request.
 * Same context as {@link LedgerInvariantsTest} ({@link LedgerFixture}).
 */
class SettlementTest extends LedgerFixture {

	SettlementTest() {
		super("settle");
	}

	@Autowired
	AccountStore accounts;

	Movement.Earn earn(String member, long points) {
		return new Movement.Earn(member, points, null, null, TILL, "tx-" + UUID.randomUUID(), UUID.randomUUID().toString());
	}

	List<Entry> history(String member) {
		PointsAccount account = reading.account(new MemberId(member)).orElseThrow();
		return reading.history(account, null, Integer.MAX_VALUE,
				new AccountStore.HistoryFilter(EnumSet.allOf(io.fidelis.points.domain.EntryType.class), null, null))
				.entries();
	}

	boolean settled(String member) {
		return accounts.find(member).orElseThrow().journal().isEmpty();
	}

	@Test
	void whatWasAnsweredReachesTheHistoryAndTheKeysResults() throws Exception {
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			members.add(member());
		}
		List<Movement.Earn> sent = new ArrayList<>();
		members.forEach(m -> {
			for (int i = 1; i <= 5; i++) {
				sent.add(earn(m, i));
			}
		});
		List<Future<Moved>> answers = new ArrayList<>();
		sent.forEach(e -> answers.add(pool.submit(() -> moving.move(POS, e, false))));
		for (Future<Moved> answer : answers) {
			assertThat(answer.get()).isInstanceOf(Moved.Done.class);
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> members.stream().allMatch(this::settled));
		for (String m : members) {
			List<Entry> history = history(m);
			assertThat(history).hasSize(5);
			assertThat(history.stream().mapToLong(Entry::availableDelta).sum()).isEqualTo(15);
		}
		// the journal is gone, so a retry is answered from the history, where the entry names its key
		for (int i = 0; i < sent.size(); i++) {
			Moved again = moving.move(POS, sent.get(i), false);
			assertThat(again).isInstanceOf(Moved.Done.class);
			assertThat(((Moved.Done) again).replayed()).isTrue();
			assertThat(((Moved.Done) again).entry()).isEqualTo(((Moved.Done) answers.get(i).get()).entry());
		}
	}

	@Test
	void aRetryLongAfterFindsItsEntryAmongTheMovementsThatFollowedIt() throws Exception {
		String member = member();
		Movement.Earn first = earn(member, 7);
		Moved answered = moving.move(POS, first, false);
		for (int i = 0; i < 140; i++) { // more than two history buckets of later movements
			assertThat(moving.move(POS, earn(member, 1), false)).isInstanceOf(Moved.Done.class);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> settled(member));

		Moved again = moving.move(POS, first, false);

		assertThat(again).isInstanceOfSatisfying(Moved.Done.class, d -> {
			assertThat(d.replayed()).isTrue();
			assertThat(d.entry()).isEqualTo(((Moved.Done) answered).entry());
		});
		assertThat(moving.move(POS, new Movement.Earn(member, 8L, null, null, TILL, first.transaction(),
				first.idempotencyKey()), false)).isInstanceOfSatisfying(Moved.Refused.class,
						r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.IDEMPOTENCY_KEY_REUSED));
		assertThat(reading.account(new MemberId(member)).orElseThrow().available()).isEqualTo(147);
	}

	@Test
	void aJournalNoBatchWasToldAboutIsSettledAfterTheNextRequestEvenARefusedOne() {
		String member = member();
		await().atMost(Duration.ofSeconds(30)).until(() -> accounts.find(member).isPresent()); // opened on MemberEnrolled
		PointsAccount account = accounts.find(member).orElseThrow().account();
		// as a crash after the account's write and before the queue would leave it: written, owed to nobody
		PointsAccount.Change change = ((PointsAccount.Outcome.Applied) account.earn(40, rules.rules(program.value())
				.orElseThrow(), new PointsAccount.Context(Instant.now().minus(Duration.ofMinutes(1)), TILL, "tx-lost",
						null, null))).change();
		assertThat(accounts.apply(account.version(), change.account(), change.entries())).isTrue();
		assertThat(settled(member)).isFalse();

		Moved refused = moving.move(POS, new Movement.Redeem(member, 1_000, TILL, null, null,
				UUID.randomUUID().toString()), false);

		assertThat(refused).isInstanceOfSatisfying(Moved.Refused.class,
				r -> assertThat(r.refusal().reason()).isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS));
		await().atMost(Duration.ofSeconds(30)).until(() -> settled(member));
		assertThat(history(member)).extracting(Entry::transaction).containsExactly("tx-lost");
	}

	@Test
	void aTransferCreditsTheReceiverBeforeItsAnswer() {
		String payer = member();
		String receiver = member();
		assertThat(moving.move(POS, earn(payer, 300), false)).isInstanceOf(Moved.Done.class);

		Moved moved = moving.move(new Caller.Staff("ops", Set.of("admin")),
				new Movement.Transfer(payer, receiver, 120, "gift", UUID.randomUUID().toString()), false);

		assertThat(moved).isInstanceOf(Moved.Done.class);
		assertThat(reading.account(new MemberId(receiver)).orElseThrow().available()).isEqualTo(120);
		assertThat(settled(payer)).isTrue(); // the transfer settled the payer's journal, earlier entries too
		assertThat(history(payer)).hasSize(2);
	}
}
