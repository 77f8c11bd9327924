package io.fidelis.cards.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.fidelis.cards.application.CardStore;
import io.fidelis.cards.application.CardStore.Wallet;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/** The card store against the embedded server: guarded writes, registrations, and pending updates that outlive the node. */
class MongoCardStoreTest {

	private static MongoServer server;
	private static MongoClient client;
	private static MongoDatabaseFactory factory;
	private MongoCardStore store;
	static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

	@BeforeAll
	static void start() {
		server = new MongoServer(H2Backend.inMemory());
		client = MongoClients.create(MongoClientSettings.builder()
				.applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
				.uuidRepresentation(UuidRepresentation.STANDARD).build());
		factory = new SimpleMongoClientDatabaseFactory(client, "cards_test");
	}

	@AfterAll
	static void stop() {
		client.close();
		server.shutdownNow();
	}

	@BeforeEach
	void fresh() {
		factory.getMongoDatabase().drop();
		store = new MongoCardStore(factory);
	}

	static WalletCard card(String serial, String member) {
		return WalletCard.issue(serial, member, "acme", "4242123412341234", "Alice", null, "0123456789abcdefghij", T0);
	}

	@Test
	void one_card_per_member_and_updates_only_from_the_revision_read() {
		assertThat(store.insert(card("c1", "m1"))).isTrue();
		assertThat(store.insert(card("c2", "m1"))).as("a second card for the same member").isFalse();
		WalletCard stored = store.findByMember("m1").orElseThrow();
		assertThat(stored.revision()).isEqualTo(1);
		WalletCard richer = stored.withBalance(100, 0, 3, 0, null, T0.plusSeconds(1));
		assertThat(store.update(richer)).isTrue();
		assertThat(store.update(stored.withTier("Gold", T0.plusSeconds(2)))).as("a stale revision").isFalse();
		WalletCard now = store.find("c1").orElseThrow();
		assertThat(now.available()).isEqualTo(100);
		assertThat(now.tier()).isNull();
		assertThat(now.revision()).isEqualTo(2);
		assertThat(now.updatedAt()).isEqualTo(richer.updatedAt());
	}

	@Test
	void a_replaced_pass_leaves_the_member_to_the_new_one_and_is_found_as_theirs() {
		assertThat(store.insert(card("c1", "m1"))).isTrue();
		WalletCard old = store.findByMember("m1").orElseThrow();
		store.noteRetired("m1", "c1");
		assertThat(store.update(old.retired(WalletCard.CardStatus.VOIDED, "REPLACED: LOST", T0.plusSeconds(1)))).isTrue();
		assertThat(store.findByMember("m1")).as("no current card until the new pass is issued").isEmpty();
		assertThat(store.insert(card("c2", "m1"))).isTrue();
		assertThat(store.findByMember("m1").orElseThrow().serialNumber()).isEqualTo("c2");
		assertThat(store.findByMembers(List.of("m1")).get("m1").serialNumber()).isEqualTo("c2");
		assertThat(store.find("c1").orElseThrow()).satisfies(c -> {
			assertThat(c.memberId()).isEqualTo("m1");
			assertThat(c.retired()).isTrue();
			assertThat(c.status()).isEqualTo(WalletCard.CardStatus.VOIDED);
		});
		assertThat(store.retiredOf("m1")).extracting(WalletCard::serialNumber).containsExactly("c1");
		assertThat(store.retiredOf("m2")).isEmpty();
		assertThat(store.list("acme", null, 10)).extracting(WalletCard::serialNumber).containsExactly("c1", "c2");
	}

	@Test
	void a_batch_of_cards_is_issued_in_one_go_and_a_member_with_a_card_keeps_it() {
		store.insert(card("c1", "m1"));
		WalletCard kept = store.findByMember("m1").orElseThrow().withBalance(7, 0, 1, 0, null, T0.plusSeconds(1));
		store.update(kept);

		store.insertAll(List.of(card("c2", "m1"), card("c3", "m3"), card("c4", "m4")));
		store.insertAll(List.of(card("c5", "m3"))); // delivered again, with a new serial drawn

		assertThat(store.findByMembers(List.of("m1", "m3", "m4", "m9"))).containsOnlyKeys("m1", "m3", "m4")
				.hasEntrySatisfying("m1", c -> assertThat(c.serialNumber()).isEqualTo("c1"))
				.hasEntrySatisfying("m3", c -> assertThat(c.serialNumber()).isEqualTo("c3"));
		assertThat(store.find("c1").orElseThrow().available()).as("the member's card keeps its balance").isEqualTo(7);
		assertThat(store.find("c2")).isEmpty();
		assertThat(store.find("c4").orElseThrow().revision()).isEqualTo(1);
		assertThat(store.findByMembers(List.of())).isEmpty();
	}

	@Test
	void a_batch_of_updates_is_one_write_and_names_the_cards_another_change_came_first_to() {
		store.insertAll(List.of(card("c1", "m1"), card("c2", "m2"), card("c3", "m3")));
		var read = store.findByMembers(List.of("m1", "m2", "m3"));
		store.update(read.get("m2").withTier("Gold", T0.plusSeconds(1))); // another change, after the batch's read

		var missed = store.updateAll(List.of(read.get("m1").withBalance(10, 0, 1, 0, null, T0.plusSeconds(2)),
				read.get("m2").withBalance(20, 0, 1, 0, null, T0.plusSeconds(2)),
				read.get("m3").withBalance(30, 0, 1, 0, null, T0.plusSeconds(2))));

		assertThat(missed).containsExactly("c2");
		assertThat(store.find("c1").orElseThrow()).extracting(WalletCard::available, WalletCard::revision)
				.containsExactly(10L, 2L);
		assertThat(store.find("c2").orElseThrow()).as("the other change stands")
				.extracting(WalletCard::available, WalletCard::tier).containsExactly(0L, "Gold");
		assertThat(store.find("c3").orElseThrow().available()).isEqualTo(30);
		assertThat(store.updateAll(List.of())).isEmpty();
	}

	@Test
	void which_cards_a_phone_holds_is_read_for_a_batch() {
		store.register("dev1", "c1", "aaaa", T0);
		store.register("dev2", "c2", "bbbb", T0);
		store.unregister("dev2", "c2");

		assertThat(store.registered(List.of("c1", "c2", "c3"))).containsExactly("c1");
		assertThat(store.registered(List.of())).isEmpty();
	}

	@Test
	void registrations_say_new_or_existing_and_are_found_both_ways() {
		assertThat(store.register("dev1", "c1", "aaaa", T0)).isEqualTo(CardStore.Registered.NEW);
		assertThat(store.register("dev1", "c1", "bbbb", T0)).isEqualTo(CardStore.Registered.EXISTING);
		assertThat(store.register("dev1", "c2", "bbbb", T0)).isEqualTo(CardStore.Registered.NEW);
		assertThat(store.register("dev2", "c1", "cccc", T0)).isEqualTo(CardStore.Registered.NEW);
		assertThat(store.serialsOf("dev1")).containsExactlyInAnyOrder("c1", "c2");
		assertThat(store.registrationsOf("c1")).containsExactlyInAnyOrder(new CardStore.Registration("dev1", "c1", "bbbb"),
				new CardStore.Registration("dev2", "c1", "cccc"));
		assertThat(store.unregister("dev1", "c1")).isTrue();
		assertThat(store.unregister("dev1", "c1")).isFalse();
		assertThat(store.serialsOf("dev1")).containsExactly("c2");
		assertThat(store.registrationsOf("c1")).extracting(CardStore.Registration::device).containsExactly("dev2");
		assertThat(store.serialsOf("nobody")).isEmpty();
	}

	@Test
	void pending_updates_survive_a_restart_and_one_node_at_a_time_delivers_them() {
		store.due("c1", Wallet.APPLE, 5);
		store.due("c1", Wallet.GOOGLE, 5);
		store.due("c1", Wallet.GOOGLE, 4); // an older tag changes nothing

		MongoCardStore afterRestart = new MongoCardStore(factory);
		List<CardStore.Due> first = afterRestart.claimDue("node-a", T0, Duration.ofSeconds(60), 10);
		assertThat(first).extracting(CardStore.Due::wallet).containsExactlyInAnyOrder(Wallet.APPLE, Wallet.GOOGLE);
		assertThat(first).allSatisfy(d -> assertThat(d.tag()).isEqualTo(5));
		assertThat(store.claimDue("node-b", T0.plusSeconds(1), Duration.ofSeconds(60), 10)).as("leased by node-a").isEmpty();

		CardStore.Due apple = first.stream().filter(d -> d.wallet() == Wallet.APPLE).findFirst().orElseThrow();
		CardStore.Due google = first.stream().filter(d -> d.wallet() == Wallet.GOOGLE).findFirst().orElseThrow();
		store.delivered(apple);
		store.due("c1", Wallet.GOOGLE, 6); // the card changed while node-a was delivering
		store.delivered(google); // tag 5 delivered, 6 still due: stays, lease released
		List<CardStore.Due> again = store.claimDue("node-b", T0.plusSeconds(2), Duration.ofSeconds(60), 10);
		assertThat(again).singleElement().satisfies(d -> {
			assertThat(d.wallet()).isEqualTo(Wallet.GOOGLE);
			assertThat(d.tag()).isEqualTo(6);
		});

		store.retryLater(again.get(0), T0.plusSeconds(30), "503");
		assertThat(store.claimDue("node-a", T0.plusSeconds(10), Duration.ofSeconds(60), 10)).as("backing off").isEmpty();
		List<CardStore.Due> retried = store.claimDue("node-a", T0.plusSeconds(31), Duration.ofSeconds(60), 10);
		assertThat(retried).singleElement().extracting(CardStore.Due::attempts).isEqualTo(1);

		// a node that dies holding a lease: another takes over once it lapses
		assertThat(store.claimDue("node-b", T0.plusSeconds(60), Duration.ofSeconds(60), 10)).isEmpty();
		assertThat(store.claimDue("node-b", T0.plusSeconds(92), Duration.ofSeconds(60), 10)).hasSize(1);
	}

	@Test
	void an_update_due_later_waits_for_its_time_and_a_newer_version_takes_the_newer_time() {
		store.due("design|acme|c0500", Wallet.APPLE, 1, T0.plusSeconds(5)); // a rollout's next page, paced

		assertThat(store.claimDue("node-a", T0.plusSeconds(4), Duration.ofSeconds(60), 10)).as("not yet").isEmpty();
		assertThat(store.claimDue("node-a", T0.plusSeconds(5), Duration.ofSeconds(60), 10)).singleElement()
				.extracting(CardStore.Due::serialNumber).isEqualTo("design|acme|c0500");

		store.due("c7", Wallet.APPLE, 1, T0.plusSeconds(30));
		store.due("c7", Wallet.APPLE, 2); // a newer version of the card, due now
		assertThat(store.claimDue("node-b", T0.plusSeconds(1), Duration.ofSeconds(60), 10)).singleElement()
				.extracting(CardStore.Due::tag).isEqualTo(2L);
	}

	@Test
	void designs_round_trip_with_their_images() {
		byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3 };
		CardDesign design = new CardDesign("acme", "Acme", "Acme card", "ACME", "#000000", "#FFFFFF", "#EEEEEE",
				CardDesign.BarcodeFormat.AZTEC, png, null, png);
		store.saveDesign(design);
		assertThat(store.design("acme")).contains(design);
		assertThat(store.design("other")).isEmpty();
		CardDesign withBack = new CardDesign("acme", "Acme", "Acme card", "ACME", "#000000", "#FFFFFF", "#EEEEEE",
				CardDesign.BarcodeFormat.AZTEC, png, null, png, new io.fidelis.cards.domain.CardBack("Points expire after 2 years.",
						"https://acme.example/rewards", "+33 1 23 45 67 89", "Since 1921", true, "acme://card",
						java.util.List.of(284882215L)));
		store.saveDesign(withBack);
		assertThat(store.design("acme")).contains(withBack);
		assertThat(store.design("acme").orElseThrow().back().appStoreIds()).containsExactly(284882215L);
		byte[] square = java.nio.ByteBuffer.allocate(24).put(png, 0, 8).put(new byte[] { 0, 0, 0, 13, 'I', 'H', 'D', 'R' })
				.putInt(660).putInt(660).array();
		CardDesign withGoogleLogo = new CardDesign("acme", "Acme", "Acme card", "ACME", "#000000", "#FFFFFF", "#EEEEEE",
				CardDesign.BarcodeFormat.AZTEC, png, null, png, null, java.util.List.of(), square);
		store.saveDesign(withGoogleLogo);
		assertThat(store.design("acme").orElseThrow().squareLogo()).isEqualTo(square);
	}

	@Test
	void a_program_s_cards_page_in_serial_order() {
		for (int i = 0; i < 7; i++) {
			store.insert(card("c" + i, "m" + i));
		}
		store.insert(WalletCard.issue("x1", "mx", "other", "1", "X", null, "0123456789abcdefghij", T0));
		List<WalletCard> page = store.list("acme", null, 3);
		assertThat(page).extracting(WalletCard::serialNumber).containsExactly("c0", "c1", "c2");
		assertThat(store.list("acme", "c2", 10)).extracting(WalletCard::serialNumber).containsExactly("c3", "c4", "c5", "c6");
	}
}
