package io.fidelis.points.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.fidelis.members.QualifyingActivities;
import io.fidelis.members.QualifyingActivity;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.ReturnPolicy;
import io.fidelis.points.domain.Source;

/**
 * Settling many accounts at once: each entry reaches the history (where a retry of its request
 * finds it), the due days and the events, and only then leaves the journal, after the transaction's pending event
 * publications were flushed to the store (a crash in between must not drop a journal whose
 * events were never stored).
 */
class SettlingAccountsTest {

	static final PointRules RULES = new PointRules("acme", ZoneId.of("Europe/Paris"),
			Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)), 1, 0, new ExpiryPolicy.RollingMonths(12),
			ReturnPolicy.WITHIN_BALANCE, true);
	static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
	static final Source TILL = new Source(Channel.IN_STORE, "FR", "paris-1", null, null);

	final List<String> happened = new ArrayList<>();
	final List<Object> published = new ArrayList<>();
	final List<Schedule.Due> dues = new ArrayList<>();
	final InMemoryAccountStore store = new InMemoryAccountStore() {
		@Override
		public synchronized void forget(Map<String, List<io.fidelis.points.domain.Entry>> entriesByMember) {
			happened.add("journal dropped");
			super.forget(entriesByMember);
		}
	};
	final List<String> noted = new ArrayList<>();
	final BalanceFeed feed = new BalanceFeed() {
		@Override
		public void changed(java.util.Collection<String> memberIds) {
			happened.add("balances noted");
			noted.addAll(memberIds);
		}

		@Override
		public Map<Long, List<String>> noted(java.util.Collection<Long> seconds) {
			return Map.of();
		}
	};
	final SettlingAccounts settling = new SettlingAccounts(store, new Dues(), published::add, feed);

	@AfterEach
	void clear() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	String memberWithEarnings(String member, long... points) {
		PointsAccount account = PointsAccount.open(member, "acme", T0);
		store.openIfAbsent(account);
		for (int i = 0; i < points.length; i++) {
			PointsAccount.Change change = ((PointsAccount.Outcome.Applied) account.earn(points[i], RULES,
					new PointsAccount.Context(T0.plusSeconds(i), TILL, "tx-" + member + "-" + i, null, member + "|key-" + i)))
					.change();
			assertThat(store.apply(account.version(), change.account(), change.entries())).isTrue();
			account = change.account();
		}
		return member;
	}

	@Test
	void a_batch_settles_every_journal_and_stores_the_events_before_dropping_them() {
		String ann = memberWithEarnings("m_ann", 10, 20);
		String bob = memberWithEarnings("m_bob", 5);
		TransactionSynchronizationManager.initSynchronization();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void flush() {
				happened.add("publications stored");
			}
		});

		Map<String, List<io.fidelis.points.domain.Entry>> transfers = settling.settle(List.of(ann, bob, "m_nobody"));

		assertThat(transfers).isEmpty();
		assertThat(happened).containsExactly("balances noted", "publications stored", "journal dropped");
		assertThat(noted).as("live balances hear of both, once each").containsExactly(ann, bob);
		assertThat(store.find(ann).orElseThrow().journal()).isEmpty();
		assertThat(store.find(bob).orElseThrow().journal()).isEmpty();
		assertThat(store.entry(ann, 2)).hasValueSatisfying(e -> assertThat(e.delta()).isEqualTo(20));
		// one event for the batch, not one per movement: each listener is handed it once
		assertThat(published).filteredOn(PointsSettled.class::isInstance).singleElement()
				.satisfies(e -> assertThat(((PointsSettled) e).movements()).extracting(m -> m.memberId().value() + "@" + m.version())
						.containsExactly("m_ann@1", "m_ann@2", "m_bob@1"))
				.satisfies(e -> assertThat(((PointsSettled) e).earned()).extracting(PointsEarned::delta).containsExactlyInAnyOrder(10L, 20L, 5L));
		assertThat(published).filteredOn(QualifyingActivities.class::isInstance).singleElement()
				.satisfies(e -> assertThat(((QualifyingActivities) e).activities()).extracting(QualifyingActivity::points)
						.containsExactlyInAnyOrder(10L, 20L, 5L));
		assertThat(published).filteredOn(PointsEarned.class::isInstance).isEmpty();
		// a retried request finds what it came to in the history, by its key
		assertThat(store.entryOfRequest(ann, "m_ann|key-1", 0, 2)).hasValueSatisfying(e -> assertThat(e.sequence()).isEqualTo(2));
		assertThat(store.entryOfRequest(bob, "m_bob|key-0", 0, 1)).isPresent();
		assertThat(dues).extracting(d -> LocalDate.ofInstant(d.at(), ZoneOffset.UTC)).as("expiry a year on")
				.containsOnly(LocalDate.parse("2027-11-27"));
		assertThat(dues).extracting(Schedule.Due::memberId).containsOnly(ann, bob);
	}

	@Test
	void a_long_backlog_is_published_in_parts_that_keep_every_movement_once() {
		long[] many = new long[SettlingAccounts.MOST_PER_EVENT + 1];
		java.util.Arrays.fill(many, 1);
		String ann = memberWithEarnings("m_ann", many);
		String bob = memberWithEarnings("m_bob", 7);

		settling.settle(List.of(ann, bob));

		List<PointsSettled> parts = published.stream().filter(PointsSettled.class::isInstance)
				.map(PointsSettled.class::cast).toList();
		assertThat(parts).extracting(PointsSettled::count).containsExactly(SettlingAccounts.MOST_PER_EVENT, 2);
		assertThat(parts.stream().flatMap(p -> p.movements().stream()).map(m -> m.memberId().value() + "@" + m.version()))
				.doesNotHaveDuplicates().hasSize(many.length + 1);
		assertThat(published).filteredOn(QualifyingActivities.class::isInstance).hasSize(2);
	}

	@Test
	void owing_twice_queues_once_and_a_settled_journal_is_settled_again_without_effect() throws Exception {
		String ann = memberWithEarnings("m_ann", 10);
		settling.owe(ann);
		settling.owe(ann);
		assertThat(settling.owing()).isEqualTo(1);
		assertThat(settling.takeOwed(10, java.time.Duration.ZERO)).containsExactly(ann);

		settling.settle(List.of(ann));
		int events = published.size();
		settling.settle(List.of(ann));

		assertThat(published).hasSize(events);
		assertThat(settling.owing()).isZero();
	}

	@Test
	void a_batch_waits_for_others_to_join_its_first_account_until_it_is_full() throws Exception {
		settling.owe("m_ann");
		ExecutorService taker = Executors.newSingleThreadExecutor();
		try {
			// a full batch ends the gathering: the long gather bounds the test, not its pace
			var batch = taker.submit(() -> settling.takeOwed(3, Duration.ZERO, Duration.ofSeconds(30)));
			await().atMost(Duration.ofSeconds(10)).until(() -> settling.owing() == 0);
			settling.owe("m_bob");
			settling.owe("m_cy");
			settling.owe("m_dee");
			assertThat(batch.get(10, TimeUnit.SECONDS)).containsExactly("m_ann", "m_bob", "m_cy");
		}
		finally {
			taker.shutdownNow();
		}
		assertThat(settling.owing()).isEqualTo(1);
		// alone, the batch ends when the gathering does
		assertThat(settling.takeOwed(3, Duration.ZERO, Duration.ofMillis(10))).containsExactly("m_dee");
		assertThat(settling.takeOwed(3, Duration.ZERO, Duration.ofMillis(10))).isEmpty();
	}

	private final class Dues implements Schedule {
		@Override
		public void remember(Collection<Due> due) {
			dues.addAll(due);
		}

		@Override
		public Set<String> dueOn(LocalDate day) {
			return Set.of();
		}

		@Override
		public Optional<LocalDate> lastCompletedDay() {
			return Optional.empty();
		}

		@Override
		public void completed(LocalDate day) {
		}

		@Override
		public boolean lease(String job, String holder, Instant now, java.time.Duration length) {
			return true;
		}
	}
}
