package io.fidelis.offers.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.offers.application.OfferStore;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Condition;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;

/**
 * The offers module's collections. Reads go by {@code _id}: a program's catalog and a member's
 * assignments are listed in one document each; guarded writes filter on a compound unique index
 * ({@code _id} with revision or value). Money is kept as decimal strings.
 */
@Component
class MongoOfferStore implements OfferStore {

	private final MongoDatabaseFactory factory;

	MongoOfferStore(MongoDatabaseFactory factory) {
		this.factory = factory;
		collection("offers_facts").createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true).name("facts_revision"));
		collection("offers_assignments").createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true).name("assignment_revision"));
		collection("offers_counters").createIndex(Indexes.ascending("_id", "value"), new IndexOptions().unique(true).name("counter_value"));
	}

	private MongoCollection<Document> collection(String name) {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(name);
	}

	@Override
	public void addOffer(Offer o) {
		collection("offers_catalog").insertOne(offer(o));
		collection("offers_programs").updateOne(eq("_id", o.programId()), Updates.addToSet("offers", o.id()),
				new UpdateOptions().upsert(true));
	}

	@Override
	public Optional<Offer> offer(String id) {
		return Optional.ofNullable(collection("offers_catalog").find(eq("_id", id)).first()).map(MongoOfferStore::offer);
	}

	@Override
	public List<Offer> offers(String programId) {
		Document program = collection("offers_programs").find(eq("_id", programId)).first();
		if (program == null) {
			return List.of();
		}
		List<Offer> found = new ArrayList<>();
		collection("offers_catalog").find(in("_id", program.getList("offers", String.class))).forEach(d -> found.add(offer(d)));
		found.sort(Comparator.comparing(Offer::createdAt));
		return found;
	}

	@Override
	public Set<String> programsWithOffers() {
		Set<String> programs = new HashSet<>();
		collection("offers_programs").find().forEach(d -> programs.add(d.getString("_id")));
		return programs;
	}

	@Override
	public Optional<MemberFacts> facts(String memberId) {
		return Optional.ofNullable(collection("offers_facts").find(eq("_id", memberId)).first()).map(MongoOfferStore::facts);
	}

	@Override
	public boolean saveFacts(MemberFacts f) {
		Document next = facts(f.stored(f.revision() + 1));
		if (f.revision() == 0) {
			try {
				collection("offers_facts").insertOne(next);
				return true;
			}
			catch (MongoWriteException e) {
				if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
				return false;
			}
		}
		return collection("offers_facts").replaceOne(new Document("_id", f.memberId()).append("revision", f.revision()), next)
				.getModifiedCount() == 1;
	}

	@Override
	public Map<String, MemberFacts> factsOf(java.util.Collection<String> memberIds) {
		Map<String, MemberFacts> found = new java.util.HashMap<>();
		if (!memberIds.isEmpty()) {
			collection("offers_facts").find(in("_id", memberIds.stream().distinct().toList()))
					.forEach(d -> found.put(d.getString("_id"), facts(d)));
		}
		return found;
	}

	/**
	 * One unordered insert of the new facts (revision 0) and one unordered bulk write of the
	 * others, each replacement still naming the revision it was read at.
	 */
	@Override
	public Set<String> saveAllFacts(List<MemberFacts> all) {
		Set<String> missed = new HashSet<>();
		List<MemberFacts> added = all.stream().filter(f -> f.revision() == 0).toList();
		List<MemberFacts> replaced = all.stream().filter(f -> f.revision() > 0).toList();
		if (!added.isEmpty()) {
			try {
				collection("offers_facts").insertMany(added.stream().map(f -> facts(f.stored(1))).toList(),
						new com.mongodb.client.model.InsertManyOptions().ordered(false));
			}
			catch (com.mongodb.MongoBulkWriteException e) {
				// facts another change stored first: the others went in
				e.getWriteErrors().forEach(w -> {
					if (ErrorCategory.fromErrorCode(w.getCode()) != ErrorCategory.DUPLICATE_KEY) {
						throw e;
					}
					missed.add(added.get(w.getIndex()).memberId());
				});
			}
		}
		if (replaced.isEmpty()) {
			return missed;
		}
		List<com.mongodb.client.model.WriteModel<Document>> writes = replaced.stream()
				.<com.mongodb.client.model.WriteModel<Document>>map(f -> new com.mongodb.client.model.ReplaceOneModel<>(
						new Document("_id", f.memberId()).append("revision", f.revision()), facts(f.stored(f.revision() + 1))))
				.toList();
		var result = collection("offers_facts").bulkWrite(writes, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
		if (result.getMatchedCount() == replaced.size()) {
			return missed;
		}
		// some came second: those stored now as something else than this batch wrote (one read by exact keys)
		Map<String, MemberFacts> now = factsOf(replaced.stream().map(MemberFacts::memberId).toList());
		replaced.forEach(f -> {
			if (!f.stored(f.revision() + 1).equals(now.get(f.memberId()))) {
				missed.add(f.memberId());
			}
		});
		return missed;
	}

	@Override
	public void eachFacts(String programId, Consumer<MemberFacts> visitor) {
		collection("offers_facts").find(eq("program", programId)).forEach(d -> visitor.accept(facts(d)));
	}

	@Override
	public boolean addAssignment(Assignment a) {
		try {
			collection("offers_assignments").insertOne(assignment(a.withRevision(1)));
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			return false;
		}
		collection("offers_members").updateOne(eq("_id", a.memberId()), Updates.addToSet("assignments", a.id()),
				new UpdateOptions().upsert(true));
		return true;
	}

	@Override
	public void removeAssignment(String id) {
		Document d = collection("offers_assignments").findOneAndDelete(eq("_id", id));
		if (d != null) {
			collection("offers_members").updateOne(eq("_id", d.getString("member")), Updates.pull("assignments", id));
		}
	}

	@Override
	public Optional<Assignment> assignment(String id) {
		return Optional.ofNullable(collection("offers_assignments").find(eq("_id", id)).first()).map(MongoOfferStore::assignment);
	}

	@Override
	public boolean updateAssignment(Assignment a) {
		return collection("offers_assignments").replaceOne(new Document("_id", a.id()).append("revision", a.revision()),
				assignment(a.withRevision(a.revision() + 1))).getModifiedCount() == 1;
	}

	@Override
	public List<Assignment> assignmentsOf(String memberId) {
		Document member = collection("offers_members").find(eq("_id", memberId)).first();
		if (member == null) {
			return List.of();
		}
		List<Assignment> found = new ArrayList<>();
		collection("offers_assignments").find(in("_id", member.getList("assignments", String.class)))
				.forEach(d -> found.add(assignment(d)));
		found.sort(Comparator.comparing(Assignment::assignedAt).reversed().thenComparing(Assignment::id));
		return found;
	}

	@Override
	public boolean count(String counter, long amount, long limit) {
		while (true) {
			Document current = collection("offers_counters").find(eq("_id", counter)).first();
			long value = current == null ? 0 : current.getLong("value");
			if (limit > 0 && value + amount > limit) {
				return false;
			}
			if (current == null) {
				try {
					collection("offers_counters").insertOne(new Document("_id", counter).append("value", amount));
					return true;
				}
				catch (MongoWriteException e) {
					if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
						throw e;
					}
					continue;
				}
			}
			if (collection("offers_counters").updateOne(new Document("_id", counter).append("value", value),
					Updates.set("value", value + amount)).getModifiedCount() == 1) {
				return true;
			}
		}
	}

	@Override
	public long counter(String counter) {
		Document d = collection("offers_counters").find(eq("_id", counter)).first();
		return d == null ? 0 : d.getLong("value");
	}

	@Override
	public void addCoupon(String code, String assignmentId) {
		collection("offers_coupons").insertOne(new Document("_id", code).append("assignment", assignmentId));
	}

	@Override
	public Optional<String> couponAssignment(String code) {
		return Optional.ofNullable(collection("offers_coupons").find(eq("_id", code)).first()).map(d -> d.getString("assignment"));
	}

	private static Document offer(Offer o) {
		return new Document("_id", o.id()).append("program", o.programId()).append("name", o.name())
				.append("kind", o.kind().name()).append("multiplier", o.multiplier() == null ? null : o.multiplier().toPlainString())
				.append("multiplierCategory", o.multiplierCategory()).append("bonusPoints", o.bonusPoints())
				.append("rewardCost", o.rewardCost()).append("couponDiscount", o.couponDiscount())
				.append("validFrom", Date.from(o.validFrom())).append("validUntil", Date.from(o.validUntil()))
				.append("capPerMember", o.capPerMember()).append("totalCap", o.totalCap()).append("pointsBudget", o.pointsBudget())
				.append("priority", o.priority()).append("stackable", o.stackable())
				.append("channels", List.copyOf(o.channels())).append("regions", List.copyOf(o.regions()))
				.append("tiers", List.copyOf(o.tiers())).append("trigger", o.trigger().name())
				.append("conditions", o.conditions().stream().map(c -> new Document("fact", c.fact().name())
						.append("operator", c.operator().name()).append("value", c.value()).append("days", c.days())).toList())
				.append("personalized", o.personalized()).append("createdAt", Date.from(o.createdAt()));
	}

	private static Offer offer(Document d) {
		return new Offer(d.getString("_id"), d.getString("program"), d.getString("name"), Offer.Kind.valueOf(d.getString("kind")),
				d.getString("multiplier") == null ? null : new BigDecimal(d.getString("multiplier")),
				d.getString("multiplierCategory"), d.getLong("bonusPoints"), d.getLong("rewardCost"),
				d.getString("couponDiscount"), d.getDate("validFrom").toInstant(), d.getDate("validUntil").toInstant(),
				d.getInteger("capPerMember"), d.getLong("totalCap"), d.getLong("pointsBudget"), d.getInteger("priority"),
				d.getBoolean("stackable"), new HashSet<>(d.getList("channels", String.class)),
				new HashSet<>(d.getList("regions", String.class)), new HashSet<>(d.getList("tiers", String.class)),
				Offer.Trigger.valueOf(spelledToday(d.getString("trigger"))),
				d.getList("conditions", Document.class).stream().map(c -> new Condition(Condition.Fact.valueOf(c.getString("fact")),
						Condition.Operator.valueOf(c.getString("operator")), c.getString("value"), c.getInteger("days"))).toList(),
				d.getBoolean("personalized"), d.getDate("createdAt").toInstant());
	}

	private static Document facts(MemberFacts f) {
		Document spend = new Document();
		f.dailySpend().forEach((day, amount) -> spend.append(day.toString(), amount.toPlainString()));
		Document visits = new Document();
		f.dailyVisits().forEach((day, n) -> visits.append(day.toString(), n));
		return new Document("_id", f.memberId()).append("program", f.programId()).append("tier", f.tier())
				.append("region", f.region()).append("enrolledAt", f.enrolledAt() == null ? null : Date.from(f.enrolledAt()))
				.append("consent", f.marketingConsent()).append("balance", f.balance()).append("balanceVersion", f.balanceVersion())
				.append("spend", spend).append("visits", visits).append("categories", List.copyOf(f.categories()))
				.append("stores", List.copyOf(f.stores()))
				.append("lastPurchaseAt", f.lastPurchaseAt() == null ? null : Date.from(f.lastPurchaseAt()))
				.append("revision", f.revision()).append("birthMonth", f.birthMonth()).append("orders", f.recentOrders());
	}

	private static MemberFacts facts(Document d) {
		Map<LocalDate, BigDecimal> spend = new LinkedHashMap<>();
		d.get("spend", Document.class).forEach((day, amount) -> spend.put(LocalDate.parse(day), new BigDecimal((String) amount)));
		Map<LocalDate, Integer> visits = new LinkedHashMap<>();
		d.get("visits", Document.class).forEach((day, n) -> visits.put(LocalDate.parse(day), ((Number) n).intValue()));
		Date enrolled = d.getDate("enrolledAt");
		Date last = d.getDate("lastPurchaseAt");
		return new MemberFacts(d.getString("_id"), d.getString("program"), d.getString("tier"), d.getString("region"),
				enrolled == null ? null : enrolled.toInstant(), d.getBoolean("consent"), d.getLong("balance"),
				d.getLong("balanceVersion"), spend, visits, new HashSet<>(d.getList("categories", String.class)),
				new HashSet<>(d.getList("stores", String.class)), last == null ? null : last.toInstant(), d.getLong("revision"),
				d.getInteger("birthMonth"), d.getList("orders", String.class, List.of()));
	}

	private static Document assignment(Assignment a) {
		return new Document("_id", a.id()).append("offer", a.offerId()).append("program", a.programId())
				.append("member", a.memberId()).append("kind", a.kind().name()).append("trigger", a.trigger())
				.append("status", a.status().name())
				.append("explanation", a.explanation().stream().map(e -> new Document("fact", e.fact())
						.append("operator", e.operator()).append("expected", e.expected()).append("matched", e.matched())
						.append("actual", e.actual())).toList())
				.append("coupon", a.couponCode()).append("assignedAt", Date.from(a.assignedAt()))
				.append("activatedAt", a.activatedAt() == null ? null : Date.from(a.activatedAt()))
				.append("redeemedAt", a.redeemedAt() == null ? null : Date.from(a.redeemedAt()))
				.append("expiresAt", Date.from(a.expiresAt())).append("revision", a.revision());
	}

	/** Offers and assignments stored before 2026-12-07 spell the enrollment trigger ENROLMENT. */
	static String spelledToday(String trigger) {
		return trigger != null && trigger.startsWith("ENROLMENT") ? "ENROLLMENT" + trigger.substring("ENROLMENT".length()) : trigger;
	}

	private static Assignment assignment(Document d) {
		Date activated = d.getDate("activatedAt");
		Date redeemed = d.getDate("redeemedAt");
		return new Assignment(d.getString("_id"), d.getString("offer"), d.getString("program"), d.getString("member"),
				Offer.Kind.valueOf(d.getString("kind")), spelledToday(d.getString("trigger")), Assignment.Status.valueOf(d.getString("status")),
				d.getList("explanation", Document.class).stream().map(e -> new Condition.Evaluated(e.getString("fact"),
						e.getString("operator"), e.getString("expected"), e.getBoolean("matched"), e.getString("actual"))).toList(),
				d.getString("coupon"), d.getDate("assignedAt").toInstant(), activated == null ? null : activated.toInstant(),
				redeemed == null ? null : redeemed.toInstant(), d.getDate("expiresAt").toInstant(), d.getLong("revision"));
	}
}
