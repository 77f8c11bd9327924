package io.fidelis.offers.adapter.in.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.fidelis.offers.application.AssignmentFeed;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Offer;

/** Two nodes follow members' new offers through one feed; an idle follower costs no read. */
class LiveOffersTest {

	static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");

	/** The store's feed, shared by the nodes: notes by second. */
	final Map<Long, List<String>> notes = new ConcurrentHashMap<>();
	final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
	final AssignmentFeed feed = new AssignmentFeed() {
		@Override
		public void assigned(Collection<String> memberIds) {
			notes.computeIfAbsent(clock.instant().getEpochSecond(), s -> new ArrayList<>()).addAll(memberIds);
		}

		@Override
		public Map<Long, List<String>> noted(Collection<Long> seconds) {
			Map<Long, List<String>> found = new HashMap<>();
			seconds.forEach(s -> {
				if (notes.containsKey(s)) {
					found.put(s, List.copyOf(notes.get(s)));
				}
			});
			return found;
		}
	};
	final Map<String, List<Assignment>> offers = new ConcurrentHashMap<>();
	final List<String> reads = new ArrayList<>();
	final LiveOffers nodeA = new LiveOffers(feed, this::read, clock);
	final LiveOffers nodeB = new LiveOffers(feed, this::read, clock);

	Map<String, List<Assignment>> read(Set<String> members) {
		reads.addAll(members);
		Map<String, List<Assignment>> found = new HashMap<>();
		members.forEach(m -> found.put(m, offers.getOrDefault(m, List.of())));
		return found;
	}

	/** An offer given on "node A": stored, then noted. */
	void give(String member, String id) {
		offers.computeIfAbsent(member, m -> new ArrayList<>()).add(new Assignment(id, "off_1", "acme", member,
				Offer.Kind.COUPON, "PURCHASE:tx", Assignment.Status.ASSIGNED, List.of(), "ABCDEFGHJK", NOW, null, null, null, 0));
		feed.assigned(List.of(member));
	}

	@Test
	void anOfferGivenOnOneNodeReachesAFollowerOnAnotherOnceAndOthersCostNothing() {
		List<List<String>> seen = new ArrayList<>();
		Runnable stop = nodeB.follow("m_ann", assignments -> seen.add(assignments.stream().map(Assignment::id).toList()));

		give("m_bob", "asg_1"); // nobody follows Bob
		assertThat(nodeB.poll()).isZero();
		assertThat(reads).isEmpty();

		give("m_ann", "asg_2");
		assertThat(nodeB.poll()).isEqualTo(1);
		assertThat(reads).containsExactly("m_ann");
		assertThat(seen).containsExactly(List.of("asg_2"));

		assertThat(nodeB.poll()).as("a note is taken once").isZero();
		assertThat(nodeA.poll()).as("node A follows nobody: it reads nothing").isZero();

		give("m_ann", "asg_3");
		nodeB.poll();
		assertThat(seen).containsExactly(List.of("asg_2"), List.of("asg_2", "asg_3"));

		stop.run();
		give("m_ann", "asg_4");
		assertThat(nodeB.poll()).as("after the last follower left").isZero();
		assertThat(seen).hasSize(2);
	}
}
