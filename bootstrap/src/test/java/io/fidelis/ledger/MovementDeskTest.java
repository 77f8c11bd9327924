package io.fidelis.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.application.ManagingMembers;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.Refusal;

/**
 * Requests arriving at the desk together, on the real adapters and the embedded server: each
 * hears what it would have heard alone (its entry once, a copy the same entry replayed, a reused
 * key refused, a refusal of its own), and the ledgers hold. The store is durable, as in
 * production: requests queue while a batch waits for its disk sync (an in-memory store reached
 * in-process writes a batch in microseconds, and requests released together then seldom meet).
 */
@org.springframework.test.context.TestPropertySource(properties = { "fidelis.mongodb.embedded.in-memory=false",
		"fidelis.mongodb.embedded.data-dir=target/desk-test-store-${random.uuid}" })
class MovementDeskTest extends LedgerFixture {

	static final Caller OTHER_PROGRAM_TILL = new Caller.IntegrationClient("pos-elsewhere", Set.of("points:write"),
			Set.of("elsewhere"));

	@Autowired
	ManagingMembers managing;
	@Autowired
	io.fidelis.points.application.RecordingPurchases purchases;
	@Autowired
	io.fidelis.points.application.ManagingMerchants merchants;

	MovementDeskTest() {
		super("desk");
	}

	/** One request and its answer. */
	record Sent(Caller caller, Movement movement, Moved answer) {
	}

	/** Sends every request from its own thread, all released at once, so that they meet at the desk. */
	List<Sent> together(List<Caller> callers, List<Movement> movements) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Moved>> answers = new ArrayList<>();
		for (int i = 0; i < movements.size(); i++) {
			Caller caller = callers.get(i);
			Movement movement = movements.get(i);
			answers.add(pool.submit(() -> {
				start.await();
				return desk.move(caller, movement, false);
			}));
		}
		start.countDown();
		List<Sent> sent = new ArrayList<>();
		for (int i = 0; i < movements.size(); i++) {
			sent.add(new Sent(callers.get(i), movements.get(i), answers.get(i).get(60, TimeUnit.SECONDS)));
		}
		return sent;
	}

	@Test
	void requestsArrivingTogetherEachHearWhatTheyWouldAloneAndTheLedgersHold() throws Exception {
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			members.add(member());
			moving.move(POS, new Movement.Earn(members.get(i), 100L, null, null, TILL, "tx-start-" + i,
					UUID.randomUUID().toString()), false);
		}
		String suspended = member();
		moving.move(POS, new Movement.Earn(suspended, 100L, null, null, TILL, "tx-s", UUID.randomUUID().toString()), false);
		managing.changeStatus(STAFF, new MemberId(suspended), MemberStatus.SUSPENDED, "fraud check");
		Map<String, Long> expected = new HashMap<>();
		members.forEach(m -> expected.put(m, 100L));
		long batchedBefore = desk.figures().together();
		// first attempts only: a retry of every request follows each round, and replays go alone
		long firstTogether = 0;
		long firstBatches = 0;

		for (int round = 0; round < 6 && firstTogether <= firstBatches || round < 3; round++) {
			List<Caller> callers = new ArrayList<>();
			List<Movement> movements = new ArrayList<>();
			String copied = UUID.randomUUID().toString();
			String reused = UUID.randomUUID().toString();
			for (int i = 0; i < members.size(); i++) {
				String m = members.get(i);
				callers.add(POS);
				movements.add(i % 3 == 0 ? new Movement.Redeem(m, 30, TILL, "reward", null, UUID.randomUUID().toString())
						: new Movement.Earn(m, 10L + i, null, null, TILL, "tx-" + round + "-" + i, UUID.randomUUID().toString()));
			}
			for (int copy = 0; copy < 3; copy++) { // three copies of one request
				callers.add(POS);
				movements.add(new Movement.Earn(members.get(1), 7L, null, null, TILL, "tx-copied-" + round, copied));
			}
			callers.add(POS); // one key for two requests
			movements.add(new Movement.Earn(members.get(2), 5L, null, null, TILL, "tx-reused-" + round, reused));
			callers.add(POS);
			movements.add(new Movement.Earn(members.get(4), 5L, null, null, TILL, "tx-reused-" + round, reused));
			callers.add(POS);
			movements.add(new Movement.Redeem(members.get(5), 1_000_000, TILL, "too much", null, UUID.randomUUID().toString()));
			callers.add(POS);
			movements.add(new Movement.Earn(suspended, 5L, null, null, TILL, "tx-susp-" + round, UUID.randomUUID().toString()));
			callers.add(POS);
			movements.add(new Movement.Earn("m_nobody", 5L, null, null, TILL, "tx-none-" + round, UUID.randomUUID().toString()));
			callers.add(OTHER_PROGRAM_TILL);
			movements.add(new Movement.Earn(members.get(7), 5L, null, null, TILL, "tx-far-" + round, UUID.randomUUID().toString()));

			io.fidelis.points.application.MovementDesk.Figures before = desk.figures();
			List<Sent> sent = together(callers, movements);
			firstTogether += desk.figures().together() - before.together();
			firstBatches += desk.figures().batches() - before.batches();

			for (int i = 0; i < members.size(); i++) {
				Moved answer = sent.get(i).answer();
				String m = members.get(i);
				if (sent.get(i).movement() instanceof Movement.Redeem) {
					if (expected.get(m) >= 30) {
						assertThat(answer).as("redeem of %s", m).isInstanceOf(Moved.Done.class);
					}
					else {
						assertThat(((Moved.Refused) answer).refusal().reason()).isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);
					}
				}
				assertThat(answer instanceof Moved.Done done && done.replayed()).isFalse();
				if (answer instanceof Moved.Done done) {
					assertThat(done.entry().request()).isEqualTo(POS.key() + "|" + sent.get(i).movement().idempotencyKey());
					expected.merge(m, done.entry().availableDelta(), Long::sum);
				}
			}
			List<Moved.Done> copies = sent.subList(members.size(), members.size() + 3).stream()
					.map(s -> (Moved.Done) s.answer()).toList();
			assertThat(copies.stream().map(Moved.Done::entry).distinct()).hasSize(1);
			assertThat(copies.stream().filter(d -> !d.replayed())).hasSize(1);
			expected.merge(members.get(1), 7L, Long::sum);

			List<Moved> reuses = List.of(sent.get(members.size() + 3).answer(), sent.get(members.size() + 4).answer());
			assertThat(reuses.stream().filter(Moved.Done.class::isInstance)).hasSize(1);
			assertThat(reuses.stream().filter(Moved.Refused.class::isInstance)
					.map(r -> ((Moved.Refused) r).refusal().reason())).containsExactly(Refusal.Reason.IDEMPOTENCY_KEY_REUSED);
			Moved.Done reuse = (Moved.Done) reuses.stream().filter(Moved.Done.class::isInstance).findFirst().orElseThrow();
			expected.merge(reuses.get(0) == reuse ? members.get(2) : members.get(4), 5L, Long::sum);

			assertThat(refusal(sent.get(members.size() + 5))).isEqualTo(Refusal.Reason.INSUFFICIENT_POINTS);
			assertThat(refusal(sent.get(members.size() + 6))).isEqualTo(Refusal.Reason.CONFLICT);
			assertThat(refusal(sent.get(members.size() + 7))).isEqualTo(Refusal.Reason.NOT_FOUND);
			assertThat(refusal(sent.get(members.size() + 8))).isEqualTo(Refusal.Reason.FORBIDDEN);

			// a retry of every request answers as the first did, replayed
			for (Sent s : together(sent.stream().map(Sent::caller).toList(), sent.stream().map(Sent::movement).toList())) {
				Sent first = sent.stream().filter(f -> f.movement() == s.movement()).findFirst().orElseThrow();
				if (first.answer() instanceof Moved.Done done && s.answer() instanceof Moved.Done again) {
					assertThat(again.entry()).isEqualTo(done.entry());
					assertThat(again.replayed()).isTrue();
				}
				else if (first.movement() != sent.get(members.size() + 3).movement()
						&& first.movement() != sent.get(members.size() + 4).movement()) {
					assertThat(s.answer().getClass()).isEqualTo(first.answer().getClass());
				}
			}
		}

		assertThat(desk.figures().together()).as("requests answered in batches").isGreaterThan(batchedBefore);
		// batches of one count as batches too: at least one batch of first attempts carried several requests
		assertThat(firstTogether).as("first attempts per batch above one").isGreaterThan(firstBatches);
		for (String m : members) {
			assertThat(reading.account(new MemberId(m)).orElseThrow().available()).as("balance of %s", m)
					.isEqualTo(expected.get(m));
			assertLedgerHolds(m);
		}
		assertThat(reading.account(new MemberId(suspended)).orElseThrow().available()).isEqualTo(100);
	}

	/**
	 * Purchases credit their members through the desk: those recorded at the same moment share a
	 * batch, each hears its own points and balance, and copies of one order (a till's retries
	 * racing) credit it once, the others replayed.
	 */
	@Test
	void purchasesRecordedTogetherAreCreditedInBatchesEachOnce() throws Exception {
		merchants.defineStore(new io.fidelis.points.domain.Store(program.value(), "paris-1", "Paris 1", "FR"));
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			members.add(member());
		}
		Map<String, Long> expected = new HashMap<>();
		long firstTogether = 0;
		long firstBatches = 0;
		for (int round = 0; round < 6 && firstTogether <= firstBatches || round < 2; round++) {
			List<java.util.concurrent.Callable<io.fidelis.points.application.RecordingPurchases.Outcome>> calls = new ArrayList<>();
			List<String> memberOf = new ArrayList<>();
			for (int i = 0; i < members.size(); i++) {
				calls.add(purchaseOf(members.get(i), "order-" + round + "-" + i, 10 + i));
				memberOf.add(members.get(i));
			}
			for (int copy = 0; copy < 3; copy++) { // one order sent three times at once
				calls.add(purchaseOf(members.get(3), "order-copied-" + round, 40));
				memberOf.add(members.get(3));
			}
			CountDownLatch start = new CountDownLatch(1);
			List<Future<io.fidelis.points.application.RecordingPurchases.Outcome>> answers = new ArrayList<>();
			calls.forEach(call -> answers.add(pool.submit(() -> {
				start.await();
				return call.call();
			})));
			io.fidelis.points.application.MovementDesk.Figures before = desk.figures();
			start.countDown();
			List<io.fidelis.points.application.RecordingPurchases.Outcome.Recorded> recorded = new ArrayList<>();
			for (Future<io.fidelis.points.application.RecordingPurchases.Outcome> answer : answers) {
				recorded.add((io.fidelis.points.application.RecordingPurchases.Outcome.Recorded) answer.get(60, TimeUnit.SECONDS));
			}
			firstTogether += desk.figures().together() - before.together();
			firstBatches += desk.figures().batches() - before.batches();

			for (int i = 0; i < members.size(); i++) {
				var r = recorded.get(i);
				assertThat(r.memberId()).isEqualTo(members.get(i));
				assertThat(r.replayed()).isFalse();
				assertThat(r.points()).as("1 point per EUR").isEqualTo(10 + i);
				expected.merge(members.get(i), r.points(), Long::sum);
			}
			List<io.fidelis.points.application.RecordingPurchases.Outcome.Recorded> copies = recorded.subList(members.size(),
					recorded.size());
			assertThat(copies.stream().filter(r -> !r.replayed())).hasSize(1);
			assertThat(copies.stream().map(r -> r.points() + "|" + r.available())).containsOnly(copies.get(0).points() + "|"
					+ copies.get(0).available());
			expected.merge(members.get(3), 40L, Long::sum);
		}
		assertThat(firstTogether).as("purchases per batch above one").isGreaterThan(firstBatches);
		for (String m : members) {
			assertThat(reading.account(new MemberId(m)).orElseThrow().available()).as("balance of %s", m)
					.isEqualTo(expected.get(m));
			assertLedgerHolds(m);
		}
	}

	private java.util.concurrent.Callable<io.fidelis.points.application.RecordingPurchases.Outcome> purchaseOf(String member,
			String order, int euros) {
		io.fidelis.points.domain.Purchase purchase = new io.fidelis.points.domain.Purchase(order, "paris-1", null,
				io.fidelis.points.domain.Channel.IN_STORE, "FR", "EUR", List.of(new io.fidelis.points.domain.PurchaseLine(
						"sku-1", "coffee", java.math.BigDecimal.ONE, java.math.BigDecimal.valueOf(euros))),
				java.math.BigDecimal.valueOf(euros));
		return () -> purchases.recordPurchase(POS, program, new io.fidelis.members.MemberIdentifier(member, null, null, null),
				purchase);
	}

	@Test
	void aDryRunAndATransferGoTheSingleWayAndBadInputIsToldAtOnce() {
		String payer = member();
		String receiver = member();
		desk.move(POS, new Movement.Earn(payer, 50L, null, null, TILL, "tx-d", UUID.randomUUID().toString()), false);

		Moved dry = desk.move(POS, new Movement.Redeem(payer, 20, TILL, null, null, UUID.randomUUID().toString()), true);
		assertThat(((Moved.Done) dry).dryRun()).isTrue();
		Moved transfer = desk.move(STAFF, new Movement.Transfer(payer, receiver, 20, "gift", UUID.randomUUID().toString()),
				false);
		assertThat(transfer).isInstanceOf(Moved.Done.class);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> desk.move(POS,
				new Movement.Earn(payer, 5L, null, null, TILL, "tx-e", "short"), false))
				.isInstanceOf(io.fidelis.points.domain.InvalidPoints.class).hasMessageContaining("idempotencyKey");
		assertThat(reading.account(new MemberId(payer)).orElseThrow().available()).isEqualTo(30);
		assertThat(reading.account(new MemberId(receiver)).orElseThrow().available()).isEqualTo(20);
	}

	private static Refusal.Reason refusal(Sent sent) {
		assertThat(sent.answer()).as("answer to %s", sent.movement()).isInstanceOf(Moved.Refused.class);
		return ((Moved.Refused) sent.answer()).refusal().reason();
	}

	/** Balances equal the ledger's sums and the lots'; nothing below zero. */
	void assertLedgerHolds(String member) {
		PointsAccount account = reading.account(new MemberId(member)).orElseThrow();
		List<Entry> all = reading.history(account, null, Integer.MAX_VALUE,
				new AccountStore.HistoryFilter(EnumSet.allOf(EntryType.class), null, null)).entries();
		assertThat(all).hasSize((int) account.version());
		assertThat(all.stream().mapToLong(Entry::availableDelta).sum()).isEqualTo(account.available());
		long spendable = account.lots().stream().filter(l -> !l.pending()).mapToLong(Lot::remaining).sum();
		assertThat(spendable - account.debt()).isEqualTo(account.available());
		assertThat(account.available()).isGreaterThanOrEqualTo(0);
	}
}
