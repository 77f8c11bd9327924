package io.fidelis.offers.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.offers.domain.MemberFacts;

/** A batch of changes leaves every member's facts as changing them one by one would. */
class KeepingFactsBatchTest {

	final Map<String, MemberFacts> stored = new HashMap<>();
	int batchReads;
	int batchWrites;
	Runnable racing = () -> {
	};

	/** Facts in memory, guarded by revision; the batch methods are the interface's defaults, counted. */
	final OfferStore store = (OfferStore) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { OfferStore.class }, (InvocationHandler) (proxy, method, args) -> switch (method.getName()) {
				case "facts" -> Optional.ofNullable(stored.get((String) args[0]));
				case "saveFacts" -> save((MemberFacts) args[0]);
				case "factsOf" -> {
					batchReads++;
					Object read = InvocationHandler.invokeDefault(proxy, method, args);
					Runnable race = racing;
					racing = () -> {
					};
					race.run();
					yield read;
				}
				case "saveAllFacts" -> {
					batchWrites++;
					yield InvocationHandler.invokeDefault(proxy, method, args);
				}
				default -> throw new UnsupportedOperationException(method.getName());
			});

	/** Only what a member's fresh facts start from; nothing else is asked. */
	final MemberDirectory members = (MemberDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { MemberDirectory.class }, (proxy, method, args) -> Optional.empty());

	final KeepingFacts keeping = new KeepingFacts(store, members);

	private boolean save(MemberFacts f) {
		MemberFacts now = stored.get(f.memberId());
		if (now == null ? f.revision() != 0 : now.revision() != f.revision()) {
			return false;
		}
		stored.put(f.memberId(), f.stored(f.revision() + 1));
		return true;
	}

	private static KeepingFacts.Change balance(long available, long version) {
		return new KeepingFacts.Change("acme", f -> f.withBalance(available, version));
	}

	@Test
	void known_members_are_read_and_saved_by_the_batch_new_and_raced_ones_one_by_one() {
		save(MemberFacts.of("m_1", "acme"));
		save(MemberFacts.of("m_2", "acme"));
		save(MemberFacts.of("m_4", "acme").withBalance(50, 9)); // already at a later balance
		racing = () -> save(stored.get("m_2").withTier("Gold")); // between the batch's read and its write

		Map<MemberId, KeepingFacts.Change> changes = new LinkedHashMap<>();
		changes.put(new MemberId("m_1"), balance(10, 1));
		changes.put(new MemberId("m_2"), balance(20, 1));
		changes.put(new MemberId("m_3"), balance(30, 1));
		changes.put(new MemberId("m_4"), balance(40, 2));

		keeping.changeAll(changes);

		assertThat(stored.get("m_1")).extracting(MemberFacts::balance, MemberFacts::revision).containsExactly(10L, 2L);
		assertThat(stored.get("m_2")).as("the raced change stands, and the balance joins it")
				.extracting(MemberFacts::tier, MemberFacts::balance).containsExactly("Gold", 20L);
		assertThat(stored.get("m_3").balance()).as("new facts, started one by one").isEqualTo(30);
		assertThat(stored.get("m_4")).as("an older balance changes nothing").extracting(MemberFacts::balance,
				MemberFacts::revision).containsExactly(50L, 1L);
		assertThat(batchReads).isEqualTo(1);
		assertThat(batchWrites).isEqualTo(1);
	}
}
