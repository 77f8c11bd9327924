package io.fidelis.members.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.application.ReferralList.Friend;

/** A referrer's friends on the embedded server: each once, whatever the redeliveries and races. */
class MongoReferralListTest {

	@org.junit.jupiter.api.extension.RegisterExtension
	static final EmbeddedMongo mongo = new EmbeddedMongo();

	MongoReferralList lists;

	@BeforeEach
	void freshDatabase() {
		lists = new MongoReferralList(mongo.factory);
	}

	@Test
	void friends_are_kept_once_in_the_order_they_came_and_go_with_the_referrer() {
		MemberId ann = new MemberId("m_ann");
		Instant at = Instant.parse("2026-12-07T10:00:00Z");
		assertThat(lists.friends(ann)).isEmpty();
		lists.add(ann, new MemberId("m_bob"), at);
		lists.add(ann, new MemberId("m_cid"), at.plusSeconds(60));
		lists.add(ann, new MemberId("m_bob"), at); // the same enrollment's event again
		lists.add(new MemberId("m_eve"), new MemberId("m_dan"), at);

		assertThat(lists.friends(ann)).containsExactly(new Friend(new MemberId("m_bob"), at),
				new Friend(new MemberId("m_cid"), at.plusSeconds(60)));
		lists.forget(ann);
		assertThat(lists.friends(ann)).isEmpty();
		assertThat(lists.friends(new MemberId("m_eve"))).hasSize(1);
	}

	@Test
	void friends_arriving_at_once_are_all_kept() throws Exception {
		MemberId ann = new MemberId("m_ann");
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Callable<Void>> calls = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				MemberId friend = new MemberId("m_friend" + (i % 16));
				Instant at = Instant.parse("2026-12-07T10:00:00Z").plusSeconds(i % 16);
				calls.add(() -> {
					lists.add(ann, friend, at);
					return null;
				});
			}
			for (var f : pool.invokeAll(calls)) {
				f.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(lists.friends(ann)).hasSize(16).extracting(Friend::id).doesNotHaveDuplicates();
	}
}
