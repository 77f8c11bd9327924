package io.fidelis.cards.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;
import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramId;
import io.fidelis.points.PointsBalances;

/** A settled batch brings every member's card to the same state as one member at a time would. */
class KeepingCardsBatchTest {

	static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
	static final MemberId M1 = new MemberId("m_1");
	static final MemberId M2 = new MemberId("m_2");
	static final MemberId M3 = new MemberId("m_3");
	static final MemberId M4 = new MemberId("m_4");

	final Cards store = new Cards();
	final Map<MemberId, PointsBalances.Balance> balances = new HashMap<>();
	static final MemberId UNKNOWN = new MemberId("m_9");
	static final MemberId CLOSED = new MemberId("m_closed");
	final Map<MemberId, String> tiers = new HashMap<>(Map.of(M3, "Gold"));
	int bulkProfileReads;
	int bulkTierReads;
	/** Only what issuing a card asks: the member's profile and tier, one by one or for a batch. */
	final MemberDirectory members = (MemberDirectory) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { MemberDirectory.class }, (proxy, method, args) -> switch (method.getName()) {
				case "profileOf" -> profile((MemberId) args[0]);
				case "tierOf" -> Optional.ofNullable(tiers.get((MemberId) args[0]));
				case "profilesOf" -> {
					bulkProfileReads++;
					Map<MemberId, MemberProfile> found = new HashMap<>();
					((Collection<?>) args[0]).forEach(m -> profile((MemberId) m).ifPresent(p -> found.put((MemberId) m, p)));
					yield found;
				}
				case "tiersOf" -> {
					bulkTierReads++;
					Map<MemberId, String> found = new HashMap<>(tiers);
					found.keySet().retainAll((Collection<?>) args[0]);
					yield found;
				}
				default -> throw new UnsupportedOperationException(method.getName());
			});

	static Optional<MemberProfile> profile(MemberId member) {
		if (member.equals(UNKNOWN)) {
			return Optional.empty();
		}
		return Optional.of(new MemberProfile(member, new ProgramId("acme"), member.value() + "@example.com",
				"Ann " + member.value(), null, null, "4242" + member.value(), member.equals(CLOSED) ? "CLOSED" : "ACTIVE", false,
				"v1", T0, EnrollmentChannel.INTEGRATION, T0, 1));
	}

	/** Google updates off: only Apple can be due. */
	final GoogleWallet google = (GoogleWallet) Proxy.newProxyInstance(getClass().getClassLoader(),
			new Class<?>[] { GoogleWallet.class }, (proxy, method, args) -> {
				if (method.getName().equals("updatesEnabled")) {
					return false;
				}
				throw new UnsupportedOperationException(method.getName());
			});
	final KeepingCards keeping = new KeepingCards(store, members, new Balances(), google,
			Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

	@Test
	void cards_are_read_and_saved_by_the_batch_and_each_ends_as_one_by_one_would_leave_it() {
		for (MemberId m : List.of(M1, M2, M4)) {
			store.insert(WalletCard.issue("c" + m.value(), m.value(), "acme", "4242" + m.value(), "Ann", null, "token-0123456789-" + m.value(),
					T0));
		}
		store.register("phone", "c" + M1.value(), "push", T0);
		balances.put(M1, new PointsBalances.Balance(100, 5, 3, 0, null));
		balances.put(M3, new PointsBalances.Balance(40, 0, 1, 0, null));
		balances.put(M4, new PointsBalances.Balance(70, 0, 2, 0, null));
		// m_2's card already shows balance version 0: nothing to save
		store.racing = () -> {
			// another change (a tier) reaches m_4's card between the batch's read and its write
			WalletCard now = store.findByMember(M4.value()).orElseThrow();
			store.update(now.withTier("Gold", T0.plusSeconds(30)));
		};

		keeping.balancesChanged(List.of(M1, M2, M3, M4, M1));

		assertThat(store.findByMember(M1.value()).orElseThrow()).extracting(WalletCard::available, WalletCard::pending,
				WalletCard::revision).containsExactly(100L, 5L, 2L);
		assertThat(store.findByMember(M2.value()).orElseThrow().revision()).as("unchanged, not written").isEqualTo(1);
		assertThat(store.findByMember(M3.value()).orElseThrow().available()).as("issued with its balance").isEqualTo(40);
		assertThat(store.findByMember(M4.value()).orElseThrow()).as("the other change stands, and the balance joins it")
				.extracting(WalletCard::tier, WalletCard::available).containsExactly("Gold", 70L);
		assertThat(store.dueApple).as("only the card a phone holds is due to Apple").containsExactly("c" + M1.value());
		assertThat(store.batchReads).isEqualTo(1);
	}

	@Test
	void an_enrolled_batch_is_issued_its_cards_from_one_read_of_profiles_tiers_and_balances() {
		store.insert(WalletCard.issue("c-existing", M1.value(), "acme", "4242" + M1.value(), "Ann", null,
				"token-0123456789-1", T0));
		balances.put(M2, new PointsBalances.Balance(25, 5, 2, 0, null));

		keeping.issueAll(List.of(M1, M2, M3, UNKNOWN, CLOSED, M2));

		assertThat(store.findByMember(M1.value()).orElseThrow().serialNumber()).as("a card already issued stands")
				.isEqualTo("c-existing");
		assertThat(store.findByMember(M2.value()).orElseThrow())
				.extracting(WalletCard::memberName, WalletCard::cardNumber, WalletCard::available, WalletCard::pending,
						WalletCard::tier, WalletCard::status)
				.containsExactly("Ann m_2", "4242m_2", 25L, 5L, null, WalletCard.CardStatus.ACTIVE);
		assertThat(store.findByMember(M3.value()).orElseThrow()).extracting(WalletCard::tier, WalletCard::available)
				.containsExactly("Gold", 0L);
		assertThat(store.findByMember(UNKNOWN.value())).as("no member, no card").isEmpty();
		assertThat(store.findByMember(CLOSED.value()).orElseThrow().status()).isEqualTo(WalletCard.CardStatus.VOIDED);
		assertThat(store.bySerial.values().stream().filter(c -> c.memberId().equals(M2.value()))).as("named twice, issued once")
				.hasSize(1);
		assertThat(List.of(store.batchReads, bulkProfileReads, bulkTierReads, balanceReads))
				.as("cards, profiles, tiers and balances each read once for the batch").containsExactly(1, 1, 1, 1);
		assertThat(store.batchInserts).isEqualTo(1);
	}

	@Test
	void a_member_named_twice_in_a_batch_is_written_once() {
		store.insert(WalletCard.issue("c1", M1.value(), "acme", "42421", "Ann", null, "token-0123456789-1", T0));
		balances.put(M1, new PointsBalances.Balance(9, 0, 1, 0, null));

		keeping.balancesChanged(List.of(M1, M1));

		assertThat(store.findByMember(M1.value()).orElseThrow()).extracting(WalletCard::available, WalletCard::revision)
				.containsExactly(9L, 2L);
	}

	@Test
	void a_design_rollout_hands_on_its_next_page_no_sooner_than_the_rate_allows() {
		for (String serial : List.of("c1", "c2", "c3")) {
			store.insert(WalletCard.issue(serial, "m_" + serial, "acme", "4242" + serial, "Ann", null,
					"token-0123456789-" + serial, T0));
		}
		Instant now = T0.plusSeconds(60);
		// pages of 2 cards at 1 card per second: the next page is due 2 s after this one ran
		RollingOutDesigns rollout = new RollingOutDesigns(store, keeping, google, null, Clock.fixed(now, ZoneOffset.UTC), 2, 1);

		rollout.run(new CardStore.Due(RollingOutDesigns.step("acme", null), CardStore.Wallet.APPLE, 7, 0, 0));
		assertThat(store.dueAppleFrom).containsEntry(RollingOutDesigns.step("acme", "c2"), now.plusSeconds(2));

		rollout.run(new CardStore.Due(RollingOutDesigns.step("acme", "c2"), CardStore.Wallet.APPLE, 7, 0, 0));
		assertThat(store.dueAppleFrom.keySet().stream().filter(RollingOutDesigns::isStep)).as("the last page hands on nothing")
				.containsExactly(RollingOutDesigns.step("acme", "c2"));
		assertThat(store.bySerial.values()).as("every card of the program got the new design")
				.allSatisfy(card -> assertThat(card.revision()).isEqualTo(2));
	}

	int balanceReads;

	final class Balances implements PointsBalances {
		@Override
		public Map<MemberId, Balance> balancesOf(Collection<MemberId> members, int expiringWithinDays) {
			balanceReads++;
			return PointsBalances.super.balancesOf(members, expiringWithinDays);
		}

		@Override
		public Optional<Balance> balanceOf(MemberId member, int expiringWithinDays) {
			return Optional.ofNullable(balances.get(member));
		}
	}

	/** Cards in memory, guarded by revision as the store is; the batch methods are the interface's defaults. */
	static final class Cards implements CardStore {
		final Map<String, WalletCard> bySerial = new HashMap<>();
		final Map<String, List<String>> phones = new HashMap<>();
		final List<String> dueApple = new ArrayList<>();
		/** When each update named for Apple may go, by serial number (a rollout's steps included). */
		final Map<String, Instant> dueAppleFrom = new HashMap<>();
		Runnable racing = () -> {
		};
		int batchReads;
		int batchInserts;

		@Override
		public Optional<WalletCard> find(String serialNumber) {
			return Optional.ofNullable(bySerial.get(serialNumber));
		}

		@Override
		public Optional<WalletCard> findByMember(String memberId) {
			return bySerial.values().stream().filter(c -> c.memberId().equals(memberId) && !c.retired()).findFirst();
		}

		final Map<String, Set<String>> retired = new HashMap<>();

		@Override
		public void noteRetired(String memberId, String serialNumber) {
			retired.computeIfAbsent(memberId, m -> new java.util.HashSet<>()).add(serialNumber);
		}

		@Override
		public List<WalletCard> retiredOf(String memberId) {
			return retired.getOrDefault(memberId, Set.of()).stream().map(bySerial::get).toList();
		}

		@Override
		public Map<String, WalletCard> findByMembers(Collection<String> memberIds) {
			batchReads++;
			return CardStore.super.findByMembers(memberIds);
		}

		@Override
		public Set<String> registered(Collection<String> serialNumbers) {
			Set<String> found = CardStore.super.registered(serialNumbers);
			Runnable race = racing;
			racing = () -> {
			};
			race.run();
			return found;
		}

		@Override
		public void insertAll(List<WalletCard> cards) {
			batchInserts++;
			CardStore.super.insertAll(cards);
		}

		@Override
		public boolean insert(WalletCard card) {
			if (findByMember(card.memberId()).isPresent()) {
				return false;
			}
			bySerial.put(card.serialNumber(), card.stored(1));
			return true;
		}

		@Override
		public boolean update(WalletCard card) {
			WalletCard now = bySerial.get(card.serialNumber());
			if (now == null || now.revision() != card.revision()) {
				return false;
			}
			bySerial.put(card.serialNumber(), card.stored(card.revision() + 1));
			return true;
		}

		@Override
		public List<WalletCard> list(String programId, String afterSerial, int limit) {
			return bySerial.values().stream().filter(c -> c.programId().equals(programId))
					.filter(c -> afterSerial == null || c.serialNumber().compareTo(afterSerial) > 0)
					.sorted(java.util.Comparator.comparing(WalletCard::serialNumber)).limit(limit).toList();
		}

		@Override
		public Registered register(String device, String serialNumber, String pushToken, Instant at) {
			phones.computeIfAbsent(serialNumber, s -> new ArrayList<>()).add(device);
			return Registered.NEW;
		}

		@Override
		public boolean unregister(String device, String serialNumber) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<String> serialsOf(String device) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Registration> registrationsOf(String serialNumber) {
			return phones.getOrDefault(serialNumber, List.of()).stream().map(d -> new Registration(d, serialNumber, "push"))
					.toList();
		}

		@Override
		public Optional<CardDesign> design(String programId) {
			return Optional.empty();
		}

		@Override
		public void saveDesign(CardDesign design) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void due(String serialNumber, Wallet wallet, long tag, java.time.Instant notBefore) {
			if (wallet == Wallet.APPLE) {
				dueApple.add(serialNumber);
				dueAppleFrom.put(serialNumber, notBefore);
			}
		}

		@Override
		public long dueCount() {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<Due> claimDue(String node, Instant now, java.time.Duration lease, int max) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void delivered(Due due) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void retryLater(Due due, Instant notBefore, String error) {
			throw new UnsupportedOperationException();
		}
	}
}
