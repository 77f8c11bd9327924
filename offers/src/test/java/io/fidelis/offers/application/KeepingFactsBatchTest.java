package io.fidelis.offers.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramId;
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

	int profileReads;
	int bulkProfileReads;
	final Map<MemberId, String> tiers = new HashMap<>();
	final Map<MemberId, MemberProfile> profiles = new HashMap<>();
	/** Only what a member's fresh facts start from (profile and tier, one by one or for a batch); nothing else is asked. */
	final MemberDirectory members = (MemberDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { MemberDirectory.class }, (proxy, method, args) -> switch (method.getName()) {
				case "profileOf" -> {
					profileReads++;
					yield profile((MemberId) args[0]);
				}
				case "tierOf" -> Optional.ofNullable(tiers.get((MemberId) args[0]));
				case "profilesOf" -> {
					bulkProfileReads++;
					Map<MemberId, MemberProfile> found = new HashMap<>();
					((java.util.Collection<?>) args[0])
							.forEach(m -> profile((MemberId) m).ifPresent(p -> found.put((MemberId) m, p)));
					yield found;
				}
				case "tiersOf" -> {
					Map<MemberId, String> found = new HashMap<>(tiers);
					found.keySet().retainAll((java.util.Collection<?>) args[0]);
					yield found;
				}
				default -> throw new UnsupportedOperationException(method.getName());
			});

	private Optional<MemberProfile> profile(MemberId member) {
		return Optional.ofNullable(profiles.get(member));
	}

	private void person(String id, boolean optIn, LocalDate birthDate) {
		MemberId member = new MemberId(id);
		profiles.put(member, new MemberProfile(member, new ProgramId("acme"), id + "@example.com", "Ann", null, null,
				"4242", "ACTIVE", optIn, "v1", T0, EnrollmentChannel.INTEGRATION, T0, 1, birthDate));
	}

	static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

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
		assertThat(stored.get("m_3").balance()).as("new facts, started in the batch").isEqualTo(30);
		assertThat(profileReads).as("no profile read one by one").isZero();
		assertThat(stored.get("m_4")).as("an older balance changes nothing").extracting(MemberFacts::balance,
				MemberFacts::revision).containsExactly(50L, 1L);
		assertThat(batchReads).isEqualTo(1);
		assertThat(batchWrites).isEqualTo(1);
	}

	@Test
	void an_enrolled_batch_starts_each_members_facts_from_one_read_of_profiles_and_tiers() {
		person("m_1", true, LocalDate.of(1990, 3, 14));
		person("m_2", false, null);
		person("m_3", true, null);
		tiers.put(new MemberId("m_2"), "Silver");
		save(MemberFacts.of("m_3", "acme").withBalance(70, 4)); // heard of before (a points event came first)
		Instant enrolled = T0.plusSeconds(5);
		// another change stores m_2's facts between the batch's read and its write
		racing = () -> save(MemberFacts.of("m_2", "acme").withTier("Gold"));

		List<MemberFacts> after = keeping.enrolledAll(List.of(enrolment("m_1", enrolled), enrolment("m_2", enrolled),
				enrolment("m_3", enrolled), enrolment("m_1", enrolled)));

		assertThat(after).extracting(MemberFacts::memberId).containsExactly("m_1", "m_2", "m_3");
		assertThat(stored.get("m_1")).extracting(MemberFacts::marketingConsent, MemberFacts::birthMonth,
				MemberFacts::enrolledAt, MemberFacts::revision).containsExactly(true, 3, enrolled, 1L);
		assertThat(stored.get("m_2")).as("the change that came first stands, and the enrollment joins it")
				.extracting(MemberFacts::tier, MemberFacts::enrolledAt).containsExactly("Gold", enrolled);
		assertThat(stored.get("m_3")).as("known facts keep what they knew")
				.extracting(MemberFacts::balance, MemberFacts::enrolledAt).containsExactly(70L, enrolled);
		assertThat(after).as("what each member's facts are now, as stored")
				.containsExactly(stored.get("m_1"), stored.get("m_2"), stored.get("m_3"));
		assertThat(List.of(batchReads, batchWrites, bulkProfileReads)).containsExactly(1, 1, 1);
		assertThat(profileReads).as("only the raced member is read one by one").isEqualTo(0);
	}

	@Test
	void a_purchase_keeps_the_balance_it_left_so_its_settled_movement_writes_nothing() {
		save(MemberFacts.of("m_1", "acme").withBalance(100, 4));
		save(MemberFacts.of("m_2", "acme").withBalance(100, 4));

		MemberFacts after = keeping.purchased(new MemberId("m_1"), "acme", "pos:R-1", T0, new java.math.BigDecimal("12.00"),
				java.util.Set.of("coffee"), "paris-01", "FR", 112, 5);
		// a purchase announced after a later movement was settled keeps the later balance
		keeping.purchased(new MemberId("m_2"), "acme", "pos:R-2", T0, java.math.BigDecimal.ONE, java.util.Set.of(),
				"paris-01", "FR", 101, 5);
		keeping.change(new MemberId("m_2"), "acme", f -> f.withBalance(90, 6));
		keeping.purchased(new MemberId("m_2"), "acme", "pos:R-3", T0, java.math.BigDecimal.ONE, java.util.Set.of(),
				"paris-01", "FR", 95, 5);

		assertThat(after).as("the offers it triggers are judged on the balance after it")
				.extracting(MemberFacts::balance, f -> f.recentOrders()).containsExactly(112L, List.of("pos:R-1"));
		assertThat(stored.get("m_1")).extracting(MemberFacts::balance, MemberFacts::balanceVersion, MemberFacts::revision)
				.containsExactly(112L, 5L, 2L);
		Map<MemberId, KeepingFacts.Change> settled = new LinkedHashMap<>();
		settled.put(new MemberId("m_1"), balance(112, 5));
		keeping.changeAll(settled);
		assertThat(stored.get("m_1").revision()).as("the settled movement's balance was kept already: nothing written")
				.isEqualTo(2L);
		assertThat(batchWrites).isEqualTo(1);
		assertThat(stored.get("m_2")).as("an older balance changes nothing, the purchase is counted")
				.extracting(MemberFacts::balance, MemberFacts::balanceVersion, f -> f.recentOrders().size())
				.containsExactly(90L, 6L, 2);
	}

	private static KeepingFacts.Enrolment enrolment(String member, Instant at) {
		return new KeepingFacts.Enrolment(new MemberId(member), "acme", at);
	}
}
