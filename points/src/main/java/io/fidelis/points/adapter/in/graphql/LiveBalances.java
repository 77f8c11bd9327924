package io.fidelis.points.adapter.in.graphql;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.fidelis.points.application.BalanceFeed;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.domain.PointsAccount;

/**
 * The balances followed live on this node. One thread reads the balance feed's last few seconds
 * every {@link #EVERY} (only while someone follows), and reads the accounts of the followed
 * members it names, all in one read: an idle subscriber costs nothing, however many there are,
 * and a change made on any node reaches a subscriber here within about one period of being
 * settled.
 */
@Component
class LiveBalances implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LiveBalances.class);
	static final Duration EVERY = Duration.ofMillis(100);
	/** Seconds read each time: the current one, a few before it and one after, for clocks that differ between nodes. */
	static final int BACK = 3;

	private final BalanceFeed feed;
	private final ReadingBalances balances;
	private final Clock clock;
	private final Map<String, Set<Consumer<PointsAccount>>> following = new ConcurrentHashMap<>();
	/** How many notes of each second were taken already. */
	private final Map<Long, Integer> taken = new HashMap<>();
	private volatile Thread worker;

	LiveBalances(BalanceFeed feed, ReadingBalances balances, Clock clock) {
		this.feed = feed;
		this.balances = balances;
		this.clock = clock;
	}

	/** Hands {@code member}'s account to {@code listener} whenever it may have changed, until the returned close. */
	Runnable follow(String member, Consumer<PointsAccount> listener) {
		following.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(listener);
		return () -> following.computeIfPresent(member, (m, listeners) -> {
			listeners.remove(listener);
			return listeners.isEmpty() ? null : listeners;
		});
	}

	/** How many members are followed on this node. */
	int followed() {
		return following.size();
	}

	/** Reads the feed once and hands the changed accounts on; returns how many accounts were read. */
	int poll() {
		if (following.isEmpty()) {
			taken.clear(); // a follower who comes later starts from the feed as it then is
			return 0;
		}
		long now = clock.instant().getEpochSecond();
		List<Long> seconds = new ArrayList<>();
		for (long s = now - BACK; s <= now + 1; s++) {
			seconds.add(s);
		}
		Map<Long, List<String>> noted = feed.noted(seconds);
		Set<String> changed = new HashSet<>();
		noted.forEach((second, members) -> {
			int from = Math.min(taken.getOrDefault(second, 0), members.size());
			for (String member : members.subList(from, members.size())) {
				if (following.containsKey(member)) {
					changed.add(member);
				}
			}
			taken.put(second, members.size());
		});
		taken.keySet().removeIf(second -> second < now - BACK);
		if (changed.isEmpty()) {
			return 0;
		}
		balances.accounts(changed).forEach((member, account) -> {
			for (Consumer<PointsAccount> listener : following.getOrDefault(member, Set.of())) {
				listener.accept(account);
			}
		});
		return changed.size();
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "live-balances");
		thread.setDaemon(true);
		worker = thread;
		thread.start();
	}

	private void run() {
		while (worker == Thread.currentThread()) {
			try {
				poll();
			}
			catch (RuntimeException e) {
				log.debug("Live balances could not read the feed ({}); trying again", e.toString());
			}
			try {
				Thread.sleep(EVERY.toMillis());
			}
			catch (InterruptedException e) {
				return;
			}
		}
	}

	@Override
	public void stop() {
		Thread thread = worker;
		worker = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return worker != null;
	}
}
