package io.fidelis.offers.adapter.in.graphql;

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
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.fidelis.offers.application.AssignmentFeed;
import io.fidelis.offers.application.MemberOffers;
import io.fidelis.offers.domain.Assignment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The members followed by {@code offerAssigned} subscribers on this node, told of new offers from
 * the assignment feed: one thread reads the last few seconds of the feed every 100 ms while anyone
 * follows, then reads the offers of only the followed members noted there. Idle subscribers cost
 * nothing; before, each read its member's offers every 250 ms. (The same shape as points' live
 * balances; the two modules share no code, so each keeps its own.)
 */
@Component
class LiveOffers implements SmartLifecycle, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(LiveOffers.class);
	static final Duration EVERY = Duration.ofMillis(100);
	/** Seconds read each time: the current one, a few before it and one after, for clocks that differ between nodes. */
	static final int BACK = 3;

	private final AssignmentFeed feed;
	/** The offers of the members asked for. */
	private final Function<Set<String>, Map<String, List<Assignment>>> offers;
	private final Clock clock;
	private final Map<String, Set<Consumer<List<Assignment>>>> following = new ConcurrentHashMap<>();
	/** How many notes of each second were taken already. */
	private final Map<Long, Integer> taken = new HashMap<>();
	private volatile Thread worker;

	@org.springframework.beans.factory.annotation.Autowired
	LiveOffers(AssignmentFeed feed, MemberOffers offers, Clock clock) {
		this(feed, offers::offersOfFollowed, clock);
	}

	LiveOffers(AssignmentFeed feed, Function<Set<String>, Map<String, List<Assignment>>> offers, Clock clock) {
		this.feed = feed;
		this.offers = offers;
		this.clock = clock;
	}

	/** Hands {@code member}'s offers to {@code listener} whenever they may have grown, until the returned close. */
	Runnable follow(String member, Consumer<List<Assignment>> listener) {
		following.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet()).add(listener);
		return () -> following.computeIfPresent(member, (m, listeners) -> {
			listeners.remove(listener);
			return listeners.isEmpty() ? null : listeners;
		});
	}

	/** Reads the feed once and hands the noted members' offers on; returns how many members' offers were read. */
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
		Set<String> noted = new HashSet<>();
		feed.noted(seconds).forEach((second, members) -> {
			for (String member : members.subList(Math.min(taken.getOrDefault(second, 0), members.size()), members.size())) {
				if (following.containsKey(member)) {
					noted.add(member);
				}
			}
			taken.put(second, members.size());
		});
		taken.keySet().removeIf(second -> second < now - BACK);
		if (noted.isEmpty()) {
			return 0;
		}
		offers.apply(noted).forEach((member, assignments) -> {
			for (Consumer<List<Assignment>> listener : following.getOrDefault(member, Set.of())) {
				listener.accept(assignments);
			}
		});
		return noted.size();
	}

	/** How many members' offers are followed live on this node: each costs a read only when they get an offer. */
	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("fidelis.offers.live.followed", following, Map::size)
				.description("Members whose new offers are followed live on this node (offerAssigned)").register(registry);
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "live-offers");
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
				log.debug("Live offers could not read the feed ({}); trying again", e.toString());
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
