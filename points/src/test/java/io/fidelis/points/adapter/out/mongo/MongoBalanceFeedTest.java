package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

class MongoBalanceFeedTest {

	final EmbeddedStore store = new EmbeddedStore();
	final SimpleMongoClientDatabaseFactory database = store.database("feed");
	Instant now = Instant.parse("2026-12-05T18:00:00Z");
	final Clock clock = new Clock() {
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		public Clock withZone(ZoneId zone) {
			return this;
		}

		public Instant instant() {
			return now;
		}
	};
	final MongoBalanceFeed feed = new MongoBalanceFeed(database, clock);

	@AfterEach
	void close() {
		store.close();
	}

	@Test
	void notesOfOneSecondAccumulateInOrderAndAreReadByExactSeconds() {
		long second = now.getEpochSecond();
		feed.changed(List.of("m_ann", "m_bob"));
		feed.changed(List.of("m_cy"));
		feed.changed(List.of());
		now = now.plusSeconds(1);
		feed.changed(List.of("m_ann"));

		assertThat(feed.noted(List.of(second - 1, second, second + 1, second + 2))).containsOnlyKeys(second, second + 1)
				.containsEntry(second, List.of("m_ann", "m_bob", "m_cy")).containsEntry(second + 1, List.of("m_ann"));
		assertThat(feed.noted(List.of())).isEmpty();
	}

	@Test
	void secondsOutOfTheWindowAreRemovedAsNewOnesAreNoted() {
		long first = now.getEpochSecond();
		feed.changed(List.of("m_ann"));
		now = now.plusSeconds(MongoBalanceFeed.KEPT / 2);
		feed.changed(List.of("m_bob"));
		assertThat(feed.noted(List.of(first))).containsOnlyKeys(first);

		now = now.plusSeconds(MongoBalanceFeed.KEPT / 2 + 10); // the first second is out, Bob's still in
		feed.changed(List.of("m_cy"));

		assertThat(feed.noted(List.of(first))).isEmpty();
		assertThat(feed.noted(List.of(now.getEpochSecond()))).containsEntry(now.getEpochSecond(), List.of("m_cy"));
		assertThat(database.getMongoDatabase().getCollection("points_feed").countDocuments()).isEqualTo(2);
	}
}
