package io.fidelis.points.adapter.in.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.fidelis.points.application.BalanceFeed;
import io.fidelis.points.application.InMemoryAccountStore;
import io.fidelis.points.application.TestReadings;
import io.fidelis.points.domain.PointsAccount;

/** Two nodes follow balances through one feed; idle followers cost no read. */
class LiveBalancesTest {

	static final Instant NOW = Instant.parse("2026-12-05T18:00:00Z");

	/** The store's feed, shared by the nodes: notes by second. */
	final Map<Long, List<String>> notes = new ConcurrentHashMap<>();
	final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
	final BalanceFeed feed = new BalanceFeed() {
		@Override
		public void changed(Collection<String> memberIds) {
			notes.computeIfAbsent(clock.instant().getEpochSecond(), s -> new ArrayList<>()).addAll(memberIds);
		}

		@Override
		public Map<Long, List<String>> noted(Collection<Long> seconds) {
			Map<Long, List<String>> found = new java.util.HashMap<>();
			seconds.forEach(s -> {
				if (notes.containsKey(s)) {
					found.put(s, List.copyOf(notes.get(s)));
				}
			});
			return found;
		}
	};
	final List<String> reads = new ArrayList<>();
	final InMemoryAccountStore accounts = new InMemoryAccountStore() {
		@Override
		public Map<String, PointsAccount> findAll(Collection<String> memberIds) {
			reads.addAll(memberIds);
			return super.findAll(memberIds);
		}
	};
	final LiveBalances nodeA = new LiveBalances(feed, TestReadings.over(accounts), clock);
	final LiveBalances nodeB = new LiveBalances(feed, TestReadings.over(accounts), clock);

	PointsAccount opened(String member) {
		PointsAccount account = PointsAccount.open(member, "acme", NOW);
		accounts.openIfAbsent(account);
		return account;
	}

	@Test
	void aChangeNotedByOneNodeReachesAFollowerOnAnotherOnceAndOthersCostNothing() {
		opened("m_ann");
		opened("m_bob");
		List<Long> seen = new ArrayList<>();
		Runnable stop = nodeB.follow("m_ann", account -> seen.add(account.version()));

		feed.changed(List.of("m_bob")); // nobody follows Bob
		assertThat(nodeB.poll()).isZero();
		assertThat(reads).isEmpty();

		feed.changed(List.of("m_ann", "m_bob")); // settled on node A
		assertThat(nodeB.poll()).isEqualTo(1);
		assertThat(reads).containsExactly("m_ann");
		assertThat(seen).containsExactly(0L);

		assertThat(nodeB.poll()).as("a note is taken once").isZero();
		assertThat(nodeA.poll()).as("node A follows nobody: it reads nothing").isZero();

		stop.run();
		assertThat(nodeB.followed()).isZero();
		feed.changed(List.of("m_ann"));
		assertThat(nodeB.poll()).isZero();
		assertThat(seen).hasSize(1);
	}

	@Test
	void everyFollowerOfAMemberHearsAndTenThousandIdleFollowersCostNoRead() {
		opened("m_ann");
		List<String> heard = new ArrayList<>();
		nodeB.follow("m_ann", a -> heard.add("phone"));
		nodeB.follow("m_ann", a -> heard.add("watch"));
		for (int i = 0; i < 10_000; i++) {
			nodeB.follow("m_idle_" + i, a -> heard.add("idle"));
		}

		for (int i = 0; i < 10; i++) {
			assertThat(nodeB.poll()).isZero();
		}
		assertThat(reads).isEmpty();

		feed.changed(List.of("m_ann"));
		nodeB.poll();
		assertThat(heard).containsExactlyInAnyOrder("phone", "watch");
		assertThat(reads).containsExactly("m_ann");
	}
}
