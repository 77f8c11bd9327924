package io.fidelis.reporting.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bson.Document;
import org.bson.UuidRepresentation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.fidelis.reporting.application.ReportStore;
import io.fidelis.reporting.domain.Activity;
import io.fidelis.reporting.domain.Activity.Kind;
import io.fidelis.reporting.domain.DayFigures;
import io.fidelis.reporting.domain.Tally;

/**
 * The report store against the embedded server: whatever the redeliveries and wherever a fold
 * stopped half-way, the stored figures equal a fresh count of the same activities.
 */
class MongoReportStoreTest {

	private static MongoServer server;
	private static MongoClient client;
	private static MongoDatabaseFactory factory;
	private MongoReportStore store;

	@BeforeAll
	static void start() {
		server = new MongoServer(H2Backend.inMemory());
		client = MongoClients.create(MongoClientSettings.builder()
				.applyConnectionString(new ConnectionString(server.bindAndGetConnectionString()))
				.uuidRepresentation(UuidRepresentation.STANDARD).build());
		factory = new SimpleMongoClientDatabaseFactory(client, "reporting_test");
	}

	@AfterAll
	static void stop() {
		client.close();
		server.shutdownNow();
	}

	@BeforeEach
	void fresh() {
		factory.getMongoDatabase().drop();
		store = new MongoReportStore(factory, false);
	}

	@RepeatedTest(4)
	void redeliveries_and_half_done_folds_count_once(RepetitionInfo repetition) {
		Random random = new Random(31L * repetition.getCurrentRepetition());
		List<Activity> activities = randomActivities(random, 300);
		List<Activity> delivered = new ArrayList<>();
		for (Activity a : activities) {
			LocalDate day = day(a);
			Activity counted = a;
			if (a.kind().byTheMember()) {
				ReportStore.Firsts firsts = store.claimFirsts(a.program(), a.member(), day, a.id());
				assertThat(store.claimFirsts(a.program(), a.member(), day, a.id())).isEqualTo(firsts);
				counted = a.withFirsts(firsts.day(), firsts.week(), firsts.month());
			}
			switch (random.nextInt(6)) {
				case 0 -> { // delivered twice
					store.fold(counted, day);
					store.fold(counted, day);
				}
				case 1 -> { // a crash after the day took it, before the activity was marked counted
					store.fold(counted, day);
					store.clearSettled();
					factory.getMongoDatabase().getCollection("reporting_activities").updateOne(eq("_id", a.id()),
							Updates.set("state", "new"));
					factory.getMongoDatabase().getCollection("reporting_days").updateOne(eq("_id", a.program() + "|" + day),
							Updates.push("pending", a.id()));
					factory.getMongoDatabase().getCollection("reporting_totals").updateOne(eq("_id", a.program()),
							Updates.push("pending", a.id()));
					store.fold(counted, day);
				}
				default -> store.fold(counted, day);
			}
			delivered.add(a);
		}
		Tally expected = Tally.of(delivered, ZoneOffset.UTC);
		Map<LocalDate, DayFigures> stored = store.days("acme", LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"));
		assertThat(stored).hasSameSizeAs(expected.days());
		assertThat(expected.days().values()).as("the workload moves tiers")
				.anyMatch(d -> !withoutZeros(d.tierChanges()).isEmpty());
		expected.days().forEach((day, figures) -> {
			assertThat(stored.get(day).total()).as("day %s", day).isEqualTo(figures.total());
			assertThat(stored.get(day).slices()).isEqualTo(figures.slices());
			assertThat(stored.get(day).stores()).isEqualTo(figures.stores());
			assertThat(withoutZeros(stored.get(day).tierChanges())).as("tier changes on %s", day)
					.isEqualTo(withoutZeros(figures.tierChanges()));
		});
		assertThat(store.totals("acme").points()).isEqualTo(expected.totals().points());
		assertThat(store.totals("acme").members()).isEqualTo(expected.totals().members());
		store.clearSettled();
		for (Document cell : factory.getMongoDatabase().getCollection("reporting_days").find()) {
			assertThat(cell.getList("pending", String.class)).as("nothing left half-done").isEmpty();
		}

		// a rebuild from what was kept gives the same figures
		Tally again = Tally.of(store.activities("acme"), ZoneOffset.UTC);
		store.replace("acme", again.days(), again.totals());
		Map<LocalDate, DayFigures> rebuilt = store.days("acme", LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"));
		expected.days().forEach((day, figures) -> assertThat(rebuilt.get(day).total()).isEqualTo(figures.total()));
		assertThat(store.totals("acme")).isEqualTo(expected.totals());
	}

	@Test
	void clearing_takes_out_only_the_settled_ids_and_keeps_what_is_still_pending() {
		List<Activity> activities = randomActivities(new Random(7), 40);
		Activity first = activities.get(0);
		LocalDate day = day(first);
		String dayId = first.program() + "|" + day;
		store.fold(first, day);
		// an id still being counted by another delivery, pending in the same cell
		factory.getMongoDatabase().getCollection("reporting_days").updateOne(eq("_id", dayId),
				Updates.push("pending", "in-flight"));
		List<ReportStore.Folding> folding = activities.subList(1, activities.size()).stream()
				.filter(a -> day(a).equals(day)).map(a -> new ReportStore.Folding(a, day)).toList();
		store.foldAll(folding);

		store.clearSettled();

		Document cell = factory.getMongoDatabase().getCollection("reporting_days").find(eq("_id", dayId)).first();
		assertThat(cell.getList("pending", String.class)).containsExactly("in-flight");
		assertThat(factory.getMongoDatabase().getCollection("reporting_totals").find(eq("_id", first.program())).first()
				.getList("pending", String.class)).isEmpty();
		store.clearSettled();
		assertThat(factory.getMongoDatabase().getCollection("reporting_days").find(eq("_id", dayId)).first()
				.getList("pending", String.class)).as("a clear with nothing settled changes nothing").containsExactly("in-flight");
	}

	/**
	 * Property: counted in batches of any size, with redeliveries inside a batch, across batches
	 * and after a single fold, the figures equal a fresh count, and batched first-of-period claims
	 * answer what claims one by one answer.
	 */
	@RepeatedTest(4)
	void batches_count_what_single_folds_count(RepetitionInfo repetition) {
		Random random = new Random(17L * repetition.getCurrentRepetition());
		List<Activity> activities = randomActivities(random, 400);
		List<Activity> delivered = new ArrayList<>();
		List<Activity> counted = new ArrayList<>();
		for (int from = 0; from < activities.size();) {
			List<Activity> batch = activities.subList(from, Math.min(activities.size(), from + 1 + random.nextInt(40)));
			from += batch.size();
			List<ReportStore.FirstsClaim> claims = batch.stream().filter(a -> a.kind().byTheMember())
					.map(a -> new ReportStore.FirstsClaim(a.program(), a.member(), day(a), a.id())).toList();
			Map<String, ReportStore.Firsts> firsts = store.claimFirstsAll(claims);
			for (ReportStore.FirstsClaim c : claims) {
				assertThat(firsts.get(c.activityId())).as("first of periods, %s", c.activityId())
						.isEqualTo(store.claimFirsts("reference", c.member(), c.day(), c.activityId()));
			}
			assertThat(store.claimFirstsAll(claims)).as("asked again").isEqualTo(firsts);
			List<ReportStore.Folding> folding = new ArrayList<>();
			for (Activity a : batch) {
				ReportStore.Firsts f = firsts.get(a.id());
				Activity c = f == null ? a : a.withFirsts(f.day(), f.week(), f.month());
				counted.add(c);
				folding.add(new ReportStore.Folding(c, day(c)));
				switch (random.nextInt(8)) {
					case 0 -> folding.add(new ReportStore.Folding(c, day(c))); // twice in one batch
					case 1 -> store.fold(c, day(c)); // counted singly before the batch comes
					default -> {
					}
				}
			}
			if (random.nextBoolean() && !counted.isEmpty()) { // a redelivery of something from an earlier batch
				Activity again = counted.get(random.nextInt(counted.size()));
				folding.add(new ReportStore.Folding(again, day(again)));
			}
			store.foldAll(folding);
			if (random.nextInt(4) == 0) {
				// a crash after the figures took the batch, before its activities were kept: delivered again
				store.clearSettled();
				List<String> ids = batch.stream().map(Activity::id).toList();
				factory.getMongoDatabase().getCollection("reporting_activities").deleteMany(in("_id", ids));
				for (ReportStore.Folding f : folding.stream().filter(f -> ids.contains(f.activity().id())).toList()) {
					factory.getMongoDatabase().getCollection("reporting_days").updateOne(
							eq("_id", f.activity().program() + "|" + f.day()), Updates.addToSet("pending", f.activity().id()));
					factory.getMongoDatabase().getCollection("reporting_totals").updateOne(
							eq("_id", f.activity().program()), Updates.addToSet("pending", f.activity().id()));
				}
				store.foldAll(folding);
			}
			delivered.addAll(batch);
		}
		Tally expected = Tally.of(delivered, ZoneOffset.UTC);
		Map<LocalDate, DayFigures> stored = store.days("acme", LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"));
		assertThat(stored).hasSameSizeAs(expected.days());
		expected.days().forEach((day, figures) -> {
			assertThat(stored.get(day).total()).as("day %s", day).isEqualTo(figures.total());
			assertThat(stored.get(day).slices()).isEqualTo(figures.slices());
			assertThat(stored.get(day).stores()).isEqualTo(figures.stores());
			assertThat(withoutZeros(stored.get(day).tierChanges())).isEqualTo(withoutZeros(figures.tierChanges()));
		});
		assertThat(store.totals("acme").points()).isEqualTo(expected.totals().points());
		assertThat(store.totals("acme").members()).isEqualTo(expected.totals().members());
		assertThat(factory.getMongoDatabase().getCollection("reporting_activities")
				.countDocuments(new Document("state", "new"))).as("every activity marked counted").isZero();
		assertThat(store.batchesFoldedSingly).as("alone, no batch needs the one-by-one way").hasValue(0);
	}

	@Test
	void a_member_is_first_once_per_day_week_and_month() {
		LocalDate monday = LocalDate.parse("2026-11-23");
		assertThat(store.claimFirsts("acme", "m1", monday, "a1")).isEqualTo(new ReportStore.Firsts(true, true, true));
		assertThat(store.claimFirsts("acme", "m1", monday, "a2")).isEqualTo(new ReportStore.Firsts(false, false, false));
		assertThat(store.claimFirsts("acme", "m1", monday.plusDays(1), "a3"))
				.isEqualTo(new ReportStore.Firsts(true, false, false));
		assertThat(store.claimFirsts("acme", "m1", monday.plusDays(7), "a4"))
				.isEqualTo(new ReportStore.Firsts(true, true, false));
		assertThat(store.claimFirsts("acme", "m2", monday, "a5")).isEqualTo(new ReportStore.Firsts(true, true, true));
		assertThat(store.claimFirsts("acme", "m1", monday, "a1")).as("asked again")
				.isEqualTo(new ReportStore.Firsts(true, true, true));
	}

	@Test
	void free_text_names_survive_as_field_names() {
		for (String name : List.of("Store 12, Paris", "a.b$c", "~0041", "Café", "")) {
			assertThat(MongoReportStore.decode(MongoReportStore.encode(name))).isEqualTo(name);
			assertThat(MongoReportStore.encode(name)).doesNotContain(".", "$");
		}
		assertThat(MongoReportStore.decode(MongoReportStore.encode(null))).isNull();
	}

	/** A tier both left and entered nets zero; whether it is written down as 0 does not matter. */
	private static Map<String, Long> withoutZeros(Map<String, Long> changes) {
		Map<String, Long> out = new java.util.TreeMap<>(changes);
		out.values().removeIf(v -> v == 0);
		return out;
	}

	static List<Activity> randomActivities(Random random, int count) {
		List<Activity> out = new ArrayList<>();
		String[] tiers = { null, "Silver", "Gold" };
		for (int i = 0; i < count; i++) {
			Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
			String member = "m" + random.nextInt(20);
			Instant at = Instant.parse("2026-03-01T00:00:00Z").plusSeconds(random.nextInt(40) * 86_400L + random.nextInt(86_400));
			long points = switch (kind) {
				case ISSUED -> 1 + random.nextInt(500);
				case REDEEMED, EXPIRED, REVERSED -> -1 - random.nextInt(200);
				case ADJUSTED, TRANSFERRED -> random.nextInt(400) - 200;
				default -> 0;
			};
			out.add(new Activity("act-" + i, "acme", kind, member, at, points,
					random.nextBoolean() ? "FR" : random.nextBoolean() ? "DE" : null,
					random.nextBoolean() ? "ONLINE" : "IN_STORE", random.nextInt(3) == 0 ? "Store " + random.nextInt(3) : null,
					random.nextInt(4) == 0 ? "fuel.co" : null, kind == Kind.TIER_CHANGED ? tiers[random.nextInt(3)] : null,
					kind == Kind.TIER_CHANGED ? tiers[random.nextInt(3)] : null, false, false, false));
		}
		// delivered in the order they happened, as events are, so first activities fall on the same days
		out.sort(java.util.Comparator.comparing(Activity::at));
		return out;
	}

	private static LocalDate day(Activity a) {
		return a.at().atZone(ZoneOffset.UTC).toLocalDate();
	}
}
