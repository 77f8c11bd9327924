package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.bson.UuidRepresentation;
import org.bson.types.Binary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.fidelis.points.application.AccountStore.HistoryFilter;
import io.fidelis.points.application.AccountStore.Stored;
import io.fidelis.points.application.AccountStore.Write;
import io.fidelis.points.application.RequestLog.Claim;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.ReturnPolicy;
import io.fidelis.points.domain.Source;

/**
 * The account store contract: conditional writes, journal, history buckets. Run against the
 * embedded server here and against a real MongoDB in {@link RealMongoAccountStoreTest}.
 */
class MongoAccountStoreTest {

	static final PointRules RULES = new PointRules("acme", ZoneId.of("Europe/Paris"),
			Map.of("EUR", new EarnRate(BigDecimal.ONE, RoundingMode.DOWN)), 1, 0, new ExpiryPolicy.RollingMonths(12),
			ReturnPolicy.WITHIN_BALANCE, true);
	static final Instant T0 = Instant.parse("2026-11-27T09:00:00.123Z");

	MongoServer server;
	MongoClient client;
	MongoAccountStore store;

	/** The server under test; the embedded one unless a subclass brings another. */
	String connectionString() {
		server = new MongoServer(H2Backend.inMemory());
		return server.bindAndGetConnectionString();
	}

	@BeforeEach
	void connect() {
		client = MongoClients.create(MongoClientSettings.builder()
				.applyConnectionString(new ConnectionString(connectionString()))
				.uuidRepresentation(UuidRepresentation.STANDARD).build());
		var factory = new SimpleMongoClientDatabaseFactory(client, "points_test");
		factory.getMongoDatabase().drop();
		store = new MongoAccountStore(factory);
	}

	@AfterEach
	void stop() {
		client.close();
		if (server != null) {
			server.shutdownNow();
		}
	}

	static PointsAccount.Change earn(PointsAccount account, long points, int i) {
		return ((PointsAccount.Outcome.Applied) account.earn(points, RULES, new PointsAccount.Context(T0.plusSeconds(i),
				new Source(Channel.IN_STORE, "FR", "paris-1", null, "r-" + i), "tx-" + i, "Ann Smith, receipt " + i, "k|" + i, null,
				i % 2 == 1 ? "client:pos-" + i : null))).change(); // odd: who recorded it; even: as lots credited before that was kept
	}

	@Test
	void anAccountOpensOnceAndChangesOnlyFromTheVersionItWasReadAt() {
		PointsAccount opened = PointsAccount.open("m_1", "acme", T0);
		assertThat(store.openIfAbsent(opened)).isTrue();
		assertThat(store.openIfAbsent(PointsAccount.open("m_1", "acme", Instant.now()))).isFalse();

		PointsAccount.Change first = earn(opened, 100, 1);
		assertThat(store.apply(0, first.account(), first.entries())).isTrue();
		PointsAccount.Change stale = earn(opened, 50, 2);
		assertThat(store.apply(0, stale.account(), stale.entries())).isFalse();

		assertThat(store.withUnsettledEntries()).containsExactly("m_1");
		var stored = store.find("m_1").orElseThrow();
		assertThat(stored.account()).isEqualTo(first.account());
		PointsAccount.Change second = earn(first.account(), 50, 2);
		assertThat(store.apply(1, second.account(), second.entries())).isTrue();
		assertThat(store.find("m_1").orElseThrow().account()).isEqualTo(second.account());
		assertThat(second.account().lots()).extracting(io.fidelis.points.domain.Lot::recordedBy)
				.containsExactly("client:pos-1", null);
		assertThat(stored.journal()).isEqualTo(first.entries());
		assertThat(store.findAll(List.of("m_1", "m_2"))).containsOnlyKeys("m_1");
	}

	@Test
	void manyAccountsChangeInOneWriteEachOnlyFromTheVersionItWasReadAt() {
		PointsAccount one = PointsAccount.open("m_1", "acme", T0);
		PointsAccount two = PointsAccount.open("m_2", "acme", T0);
		PointsAccount three = PointsAccount.open("m_3", "acme", T0);
		store.openAllIfAbsent(List.of(one, two, three));
		PointsAccount.Change before = earn(two, 5, 9); // another change to m_2 comes first
		assertThat(store.apply(0, before.account(), before.entries())).isTrue();

		PointsAccount.Change first = earn(one, 100, 1);
		PointsAccount.Change stale = earn(two, 50, 2);
		PointsAccount.Change third = earn(three, 70, 3);
		List<Boolean> made = store.applyAll(List.of(new Write(0, first.account(), first.entries()),
				new Write(0, stale.account(), stale.entries()), new Write(0, third.account(), third.entries())));

		assertThat(made).containsExactly(true, false, true);
		assertThat(store.find("m_1").orElseThrow()).isEqualTo(new Stored(first.account(), first.entries()));
		assertThat(store.find("m_2").orElseThrow()).isEqualTo(new Stored(before.account(), before.entries()));
		assertThat(store.find("m_3").orElseThrow()).isEqualTo(new Stored(third.account(), third.entries()));
		// the refused write inserted nothing: one document per account
		assertThat(client.getDatabase("points_test").getCollection(MongoAccountStore.ACCOUNTS).countDocuments()).isEqualTo(3);
		assertThat(store.applyAll(List.of())).isEmpty();
	}

	@Test
	void manyKeysAreClaimedInOneWriteAndAKeyHeldAlreadyIsTold() {
		MongoRequestLog requests = new MongoRequestLog(new SimpleMongoClientDatabaseFactory(client, "points_test"));
		requests.claim("pos|held", "f0", "m_9", 4);

		List<Boolean> made = requests.claimAll(List.of(new Claim("pos|a", "f1", "m_1", null, 0, true),
				new Claim("pos|held", "f2", "m_2", null, 7, true), new Claim("pos|b", "f3", "m_3", null, 2, true)));

		assertThat(made).containsExactly(true, false, true);
		assertThat(requests.find("pos|a").orElseThrow()).isEqualTo(new Claim("pos|a", "f1", "m_1", null, 0, false));
		assertThat(requests.find("pos|b").orElseThrow().from()).isEqualTo(2);
		// the key held keeps what its first claim said
		assertThat(requests.find("pos|held").orElseThrow()).isEqualTo(new Claim("pos|held", "f0", "m_9", null, 4, false));
		assertThat(requests.claimAll(List.of())).isEmpty();
	}

	@Test
	void aJournalWrittenWithAValuePerFieldReadsBesidePackedEntriesAndIsDroppedBySequence() {
		PointsAccount opened = PointsAccount.open("m_j", "acme", T0);
		store.openIfAbsent(opened);
		PointsAccount.Change first = earn(opened, 100, 1);
		io.fidelis.points.domain.Entry e = first.entries().get(0);
		// as journals held entries before they were packed
		Document old = new Document("seq", e.sequence()).append("type", e.type().name())
				.append("available", e.availableDelta()).append("pending", e.pendingDelta()).append("at", Date.from(e.at()))
				.append("tx", e.transaction()).append("source", new Document("channel", e.source().channel().name())
						.append("region", e.source().region()).append("store", e.source().store()).append("partner", null)
						.append("ref", e.source().externalReference()))
				.append("reason", e.reason()).append("request", e.request()).append("counterpart", null)
				.append("availableAfter", e.availableAfter()).append("pendingAfter", e.pendingAfter()).append("spend", null);
		assertThat(store.apply(0, first.account(), List.of())).isTrue();
		var accounts = client.getDatabase("points_test").getCollection(MongoAccountStore.ACCOUNTS);
		accounts.updateOne(new Document("_id", "m_j"), new Document("$push", new Document("journal", old)));
		PointsAccount.Change second = earn(first.account(), 30, 2);
		assertThat(store.apply(1, second.account(), second.entries())).isTrue();

		assertThat(store.find("m_j").orElseThrow().journal()).containsExactly(e, second.entries().get(0));
		Document journalled = accounts.find(new Document("_id", "m_j")).first().getList("journal", Document.class).get(1);
		assertThat(journalled.keySet()).containsExactly("seq", "e");
		assertThat(store.entry("m_j", 2)).contains(second.entries().get(0));

		store.forget(Map.of("m_j", List.of(e)));
		assertThat(store.find("m_j").orElseThrow().journal()).containsExactly(second.entries().get(0));
		store.forget(Map.of("m_j", second.entries()));
		assertThat(store.find("m_j").orElseThrow().journal()).isEmpty();
		assertThat(store.withUnsettledEntries()).doesNotContain("m_j");
	}

	@Test
	void anAccountWrittenWithALotPerSubdocumentReadsBackAndIsPackedAtItsNextChange() {
		PointsAccount.Change first = earn(PointsAccount.open("m_old", "acme", T0), 100, 1);
		PointsAccount.Change second = earn(first.account(), 50, 2);
		PointsAccount before = second.account();
		// as accounts were stored before lots were packed
		List<Document> lots = UnpackedLots.of(before.lots());
		Document old = new Document("_id", "m_old").append("programId", "acme").append("version", before.version())
				.append("available", before.available()).append("pending", before.pending()).append("debt", 0L)
				.append("lifetimeEarned", before.lifetimeEarned()).append("lifetimeRedeemed", 0L)
				.append("openedAt", Date.from(T0)).append("lots", lots).append("journal", List.of());
		client.getDatabase("points_test").getCollection(MongoAccountStore.ACCOUNTS).insertOne(old);

		assertThat(store.find("m_old").orElseThrow().account()).isEqualTo(before);
		PointsAccount.Change third = earn(before, 25, 3);
		assertThat(store.apply(before.version(), third.account(), third.entries())).isTrue();
		assertThat(store.findAll(List.of("m_old")).get("m_old")).isEqualTo(third.account());
		Document stored = client.getDatabase("points_test").getCollection(MongoAccountStore.ACCOUNTS)
				.find(new Document("_id", "m_old")).first();
		assertThat(stored.get("lots")).isInstanceOf(Binary.class);
	}

	@Test
	void historyWrittenAsSubdocumentsReadsBackBesidePackedEntriesAndIsScrubbed() {
		PointsAccount account = PointsAccount.open("m_1", "acme", T0);
		store.openIfAbsent(account);
		List<io.fidelis.points.domain.Entry> all = new java.util.ArrayList<>();
		for (int i = 1; i <= 4; i++) {
			PointsAccount.Change change = earn(account, 10 * i, i);
			store.apply(account.version(), change.account(), change.entries());
			all.addAll(change.entries());
			account = change.account();
		}
		// entries 1 and 2 as buckets held them before entries were packed; 3 and 4 settled now
		Document old = new Document();
		for (io.fidelis.points.domain.Entry e : all.subList(0, 2)) {
			old.append("s" + e.sequence(), new Document("seq", e.sequence()).append("type", e.type().name())
					.append("available", e.availableDelta()).append("pending", e.pendingDelta()).append("at", Date.from(e.at()))
					.append("tx", e.transaction()).append("source", new Document("channel", e.source().channel().name())
							.append("region", e.source().region()).append("store", e.source().store()).append("partner", null)
							.append("ref", e.source().externalReference()))
					.append("reason", e.reason()).append("request", e.request()).append("counterpart", null)
					.append("availableAfter", e.availableAfter()).append("pendingAfter", e.pendingAfter()).append("spend", null));
		}
		client.getDatabase("points_test").getCollection(MongoAccountStore.HISTORY)
				.insertOne(new Document("_id", "m_1|0").append("memberId", "m_1").append("entries", old));
		store.settleHistory(Map.of("m_1", all.subList(2, 4)));
		store.forget(Map.of("m_1", all));

		assertThat(store.history("m_1", 5, 10, 100, new HistoryFilter(null, null, null)).entries())
				.containsExactly(all.get(3), all.get(2), all.get(1), all.get(0));
		assertThat(store.entry("m_1", 1)).contains(all.get(0));
		assertThat(store.entryOfRequest("m_1", all.get(1).request(), 0, 4)).contains(all.get(1));
		assertThat(store.entryOfRequest("m_1", all.get(3).request(), 0, 4)).contains(all.get(3));

		store.scrubFreeText("m_1");

		assertThat(store.history("m_1", 5, 10, 100, new HistoryFilter(null, null, null)).entries()).hasSize(4)
				.allSatisfy(e -> {
					assertThat(e.reason()).isNull();
					assertThat(e.source().externalReference()).isNull();
					assertThat(e.source().store()).isEqualTo("paris-1");
				});
	}

	@Test
	void aBatchOpensOnlyTheAccountsNotOpenYetAndSaysWhichItOpened() {
		PointsAccount earlier = PointsAccount.open("m_2", "acme", T0);
		store.openIfAbsent(earlier);
		PointsAccount.Change earned = earn(earlier, 40, 1);
		store.apply(0, earned.account(), earned.entries());

		List<PointsAccount> batch = List.of(PointsAccount.open("m_1", "acme", T0), PointsAccount.open("m_2", "acme", T0),
				PointsAccount.open("m_3", "acme", T0));
		assertThat(store.openAllIfAbsent(batch)).extracting(PointsAccount::memberId).containsExactly("m_1", "m_3");
		assertThat(store.openAllIfAbsent(batch)).as("delivered again").isEmpty();
		assertThat(store.find("m_2").orElseThrow().account()).as("an open account keeps its points")
				.isEqualTo(earned.account());
		assertThat(store.findAll(List.of("m_1", "m_2", "m_3"))).containsOnlyKeys("m_1", "m_2", "m_3");
	}

	/**
	 * Entries not yet settled at an erasure lose their free text in the journal, so that settling
	 * them afterwards writes none to the history; entries settled and dropped meanwhile stay dropped.
	 */
	@Test
	void erasureScrubsTheJournalSoThatLaterSettlementWritesNoFreeText() {
		PointsAccount account = PointsAccount.open("m_1", "acme", T0);
		store.openIfAbsent(account);
		for (int i = 1; i <= 3; i++) {
			PointsAccount.Change change = earn(account, i, i);
			assertThat(store.apply(account.version(), change.account(), change.entries())).isTrue();
			account = change.account();
		}
		var journal = store.find("m_1").orElseThrow().journal();
		assertThat(journal).hasSize(3).allSatisfy(e -> assertThat(e.reason()).startsWith("Ann Smith"));
		store.settleHistory(Map.of("m_1", journal.subList(0, 1)));
		store.forget(Map.of("m_1", journal.subList(0, 1)));

		store.scrubFreeText("m_1");

		var left = store.find("m_1").orElseThrow().journal();
		assertThat(left).extracting(e -> e.sequence()).containsExactly(2L, 3L);
		assertThat(left).allSatisfy(e -> {
			assertThat(e.reason()).isNull();
			assertThat(e.source().externalReference()).isNull();
			assertThat(e.delta()).isEqualTo(e.sequence());
		});
		store.settleHistory(Map.of("m_1", left));
		store.forget(Map.of("m_1", left));
		assertThat(store.history("m_1", 4, 10, 100, new HistoryFilter(null, null, null)).entries()).hasSize(3)
				.allSatisfy(e -> assertThat(e.reason()).isNull());
		PointsAccount after = store.find("m_1").orElseThrow().account();
		assertThat(after.version()).isEqualTo(account.version());
		assertThat(after.available()).isEqualTo(account.available()).isEqualTo(6);
		assertThat(after.lots()).allSatisfy(l -> assertThat(l.source().externalReference()).isNull());
	}

	@Test
	void settledEntriesLeaveTheJournalForTheHistoryAndReadBackNewestFirst() {
		PointsAccount account = PointsAccount.open("m_1", "acme", T0);
		store.openIfAbsent(account);
		for (int i = 1; i <= 150; i++) { // crosses two history buckets
			PointsAccount.Change change = earn(account, i, i);
			assertThat(store.apply(account.version(), change.account(), change.entries())).isTrue();
			store.settleHistory(Map.of("m_1", change.entries()));
			store.settleHistory(Map.of("m_1", change.entries())); // twice: no effect
			store.forget(Map.of("m_1", change.entries()));
			account = change.account();
		}
		assertThat(store.find("m_1").orElseThrow().journal()).isEmpty();
		assertThat(store.withUnsettledEntries()).isEmpty();
		assertThat(store.entry("m_1", 77)).hasValueSatisfying(e -> assertThat(e.delta()).isEqualTo(77));
		// a retried request finds its entry by its key, only among the sequences it is told to look at
		assertThat(store.entryOfRequest("m_1", "k|77", 0, 150)).hasValueSatisfying(e -> assertThat(e.sequence()).isEqualTo(77));
		assertThat(store.entryOfRequest("m_1", "k|77", 76, 77)).isPresent();
		assertThat(store.entryOfRequest("m_1", "k|77", 77, 150)).isEmpty();
		assertThat(store.entryOfRequest("m_1", "k|77", 0, 76)).isEmpty();
		assertThat(store.entryOfRequest("m_1", "k|150", 127, 150)).isPresent();
		assertThat(store.entryOfRequest("m_1", "k|151", 0, 150)).isEmpty();
		assertThat(store.entryOfRequest("m_2", "k|77", 0, 150)).isEmpty();

		var page = store.history("m_1", 151, 10, 1000, new HistoryFilter(EnumSet.allOf(EntryType.class), null, null));
		assertThat(page.entries()).extracting(e -> e.sequence()).containsExactly(150L, 149L, 148L, 147L, 146L, 145L,
				144L, 143L, 142L, 141L);
		var dated = store.history("m_1", 151, 200, 1000,
				new HistoryFilter(EnumSet.of(EntryType.EARNED), T0.plusSeconds(10), T0.plusSeconds(20)));
		assertThat(dated.entries()).hasSize(10).allSatisfy(e -> assertThat(e.delta()).isBetween(10L, 19L));
		assertThat(dated.scannedDownTo()).isEqualTo(1);
		assertThat(store.history("m_1", 151, 200, 1000, new HistoryFilter(null, null, null)).entries())
				.allSatisfy(e -> assertThat(e.reason()).startsWith("Ann Smith"));
		store.scrubFreeText("m_1");
		store.scrubFreeText("m_1");
		var scrubbed = store.history("m_1", 151, 200, 1000, new HistoryFilter(null, null, null)).entries();
		assertThat(scrubbed).hasSize(150).allSatisfy(e -> {
			assertThat(e.reason()).isNull();
			assertThat(e.source().externalReference()).isNull();
			assertThat(e.source().store()).isEqualTo("paris-1");
		});
		assertThat(store.find("m_1").orElseThrow().account().lots())
				.allSatisfy(l -> assertThat(l.source().externalReference()).isNull());
		long sum = store.history("m_1", 151, 200, 1000, new HistoryFilter(null, null, null)).entries().stream()
				.mapToLong(e -> e.delta()).sum();
		assertThat(sum).isEqualTo(account.available()).isEqualTo(150 * 151 / 2);
	}
}
