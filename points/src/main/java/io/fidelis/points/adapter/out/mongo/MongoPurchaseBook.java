package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;

import io.fidelis.points.application.PurchaseBook;
import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.Store;

/**
 * Stores, partners and category rates live in one document per program (they are few and read
 * together); purchases one document each, keyed by client and order id, guarded by a revision.
 * Money and quantities are kept as decimal strings: exact, whatever the backend.
 *
 * <p>Every purchase needs its program's stores and category rates, so they are remembered on the
 * node for {@link MongoRuleBook#REMEMBERED_FOR}, as the rules are ({@link RecentReads}). A store or
 * partner not found among what is remembered is looked for again in the store before a purchase
 * is refused: one defined a moment ago on another node is found at once.
 */
@Component
class MongoPurchaseBook implements PurchaseBook {

	static final String MERCHANTS = "points_merchants";
	static final String PURCHASES = "points_purchases";
	static final String IMPORTS = "points_imports";

	private final MongoDatabaseFactory factory;
	private final RecentReads<Merchants> recent;

	/** A program's stores, partners and category rates, as read together. */
	private record Merchants(List<Store> stores, List<Partner> partners, Map<String, CategoryRate> categoryRates) {
	}

	@org.springframework.beans.factory.annotation.Autowired
	MongoPurchaseBook(MongoDatabaseFactory factory) {
		this(factory, System::nanoTime);
	}

	/** @param ticker nanoseconds, as {@link System#nanoTime()} (tests move it by hand) */
	MongoPurchaseBook(MongoDatabaseFactory factory, java.util.function.LongSupplier ticker) {
		this.factory = factory;
		this.recent = new RecentReads<>(MongoRuleBook.REMEMBERED_FOR, ticker);
		purchases().createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true).name("purchase_revision"));
	}

	private MongoCollection<Document> merchants() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(MERCHANTS);
	}

	private MongoCollection<Document> purchases() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(PURCHASES);
	}

	private Merchants merchantsOf(String programId) {
		return recent.get(programId, this::read).orElseThrow();
	}

	private Optional<Merchants> read(String programId) {
		Document d = merchants().find(eq("_id", programId)).first();
		return Optional.of(merchants(programId, d == null ? new Document("_id", programId) : d));
	}

	private void setField(String programId, String field, Object value) {
		merchants().updateOne(eq("_id", programId), new Document("$set", new Document(field, value)),
				new com.mongodb.client.model.UpdateOptions().upsert(true));
		recent.changed(programId);
	}

	@Override
	public void saveStore(Store store) {
		setField(store.programId(), "stores." + store.storeId(), new Document("name", store.name()).append("region", store.region())
				.append("latitude", store.latitude()).append("longitude", store.longitude()));
	}

	@Override
	public Optional<Store> store(String programId, String storeId) {
		return find(programId, Merchants::stores, s -> s.storeId().equals(storeId));
	}

	/** Among what is remembered, else among what the store holds now, before saying there is none. */
	private <T> Optional<T> find(String programId, java.util.function.Function<Merchants, List<T>> kind,
			java.util.function.Predicate<T> wanted) {
		Optional<T> remembered = kind.apply(merchantsOf(programId)).stream().filter(wanted).findFirst();
		return remembered.isPresent() ? remembered
				: kind.apply(recent.fresh(programId, this::read).orElseThrow()).stream().filter(wanted).findFirst();
	}

	@Override
	public List<Store> stores(String programId) {
		return merchantsOf(programId).stores();
	}

	private static Merchants merchants(String programId, Document program) {
		return new Merchants(stores(programId, program), partners(programId, program), categoryRates(program));
	}

	private static List<Store> stores(String programId, Document program) {
		List<Store> stores = new ArrayList<>();
		Document all = program.get("stores", Document.class);
		if (all != null) {
			all.forEach((id, v) -> stores.add(new Store(programId, id, ((Document) v).getString("name"),
					((Document) v).getString("region"), ((Document) v).getDouble("latitude"), ((Document) v).getDouble("longitude"))));
		}
		stores.sort(java.util.Comparator.comparing(Store::storeId));
		return List.copyOf(stores);
	}

	@Override
	public void savePartner(Partner partner) {
		Document rates = new Document();
		partner.earnRates().forEach((currency, rate) -> rates.append(currency,
				new Document("pointsPerUnit", rate.pointsPerUnit().toPlainString()).append("rounding", rate.rounding().name())));
		setField(partner.programId(), "partners." + partner.partnerId(), new Document("name", partner.name())
				.append("earnRates", rates).append("issueCost", partner.issueCost().toPlainString())
				.append("redemptionValue", partner.redemptionValue().toPlainString())
				.append("settlementCurrency", partner.settlementCurrency()));
	}

	@Override
	public Optional<Partner> partner(String programId, String partnerId) {
		return find(programId, Merchants::partners, p -> p.partnerId().equals(partnerId));
	}

	@Override
	public List<Partner> partners(String programId) {
		return merchantsOf(programId).partners();
	}

	private static List<Partner> partners(String programId, Document program) {
		List<Partner> partners = new ArrayList<>();
		Document all = program.get("partners", Document.class);
		if (all != null) {
			all.forEach((id, v) -> {
				Document p = (Document) v;
				Map<String, EarnRate> rates = new LinkedHashMap<>();
				p.get("earnRates", Document.class).forEach((currency, r) -> rates.put(currency, new EarnRate(
						new BigDecimal(((Document) r).getString("pointsPerUnit")),
						RoundingMode.valueOf(((Document) r).getString("rounding")))));
				partners.add(new Partner(programId, id, p.getString("name"), rates, new BigDecimal(p.getString("issueCost")),
						new BigDecimal(p.getString("redemptionValue")), p.getString("settlementCurrency")));
			});
		}
		partners.sort(java.util.Comparator.comparing(Partner::partnerId));
		return List.copyOf(partners);
	}

	@Override
	public Map<String, CategoryRate> categoryRates(String programId) {
		return merchantsOf(programId).categoryRates();
	}

	private static Map<String, CategoryRate> categoryRates(Document program) {
		Map<String, CategoryRate> rates = new LinkedHashMap<>();
		List<Document> stored = program.getList("categoryRates", Document.class);
		if (stored != null) {
			stored.forEach(d -> rates.put(d.getString("category"), new CategoryRate(d.getString("category"),
					CategoryRate.Basis.valueOf(d.getString("basis")), new BigDecimal(d.getString("points")))));
		}
		return java.util.Collections.unmodifiableMap(rates);
	}

	@Override
	public void saveCategoryRates(String programId, List<CategoryRate> rates) {
		setField(programId, "categoryRates", rates.stream().map(r -> new Document("category", r.category())
				.append("basis", r.basis().name()).append("points", r.points().toPlainString())).toList());
	}

	@Override
	public boolean addPurchase(Recorded purchase) {
		return insertNew(purchases(), document(purchase));
	}

	/** Inserts the document; false when one with its {@code _id} is there already. */
	private static boolean insertNew(MongoCollection<Document> collection, Document document) {
		try {
			collection.insertOne(document);
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			return false;
		}
	}

	@Override
	public Optional<Recorded> purchase(String client, String orderId) {
		return Optional.ofNullable(purchases().find(eq("_id", client + "|" + orderId)).first()).map(MongoPurchaseBook::recorded);
	}

	/** A member's data export only, never a till's request: read by the member field (a scan on the embedded store). */
	@Override
	public List<Recorded> purchasesOf(String memberId) {
		List<Recorded> found = new ArrayList<>();
		purchases().find(eq("member", memberId)).forEach(d -> found.add(recorded(d)));
		return found;
	}

	@Override
	public boolean updatePurchase(Recorded purchase) {
		Recorded next = new Recorded(purchase.client(), purchase.orderId(), purchase.programId(), purchase.memberId(),
				purchase.fingerprint(), purchase.points(), purchase.lines(), purchase.returns(), purchase.takenBack(),
				purchase.revision() + 1, purchase.source(), purchase.returnInputs());
		return purchases().replaceOne(new Document("_id", purchase.client() + "|" + purchase.orderId())
				.append("revision", purchase.revision()), document(next), new ReplaceOptions()).getModifiedCount() == 1;
	}

	private MongoCollection<Document> imports() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(IMPORTS);
	}

	@Override
	public boolean startImport(TransactionImport t) {
		return insertNew(imports(), new Document("_id", t.importId()).append("program", t.programId())
				.append("format", t.format()).append("status", t.status()).append("total", t.total()).append("processed", 0)
				.append("recorded", 0).append("replayed", 0).append("failed", 0).append("errors", List.of())
				.append("startedAt", java.util.Date.from(t.startedAt())));
	}

	@Override
	public void importProgress(String importId, int processed, int recorded, int replayed, List<RowError> errors) {
		Document inc = new Document("processed", processed).append("recorded", recorded).append("replayed", replayed)
				.append("failed", errors.size());
		Document update = new Document("$inc", inc);
		if (!errors.isEmpty()) {
			update.append("$push", new Document("errors", new Document("$each", errors.stream()
					.map(e -> new Document("row", e.row()).append("field", e.field()).append("code", e.code())
							.append("message", e.message())).toList()).append("$slice", 1000)));
		}
		imports().updateOne(eq("_id", importId), update);
	}

	@Override
	public void finishImport(String importId, String status, java.time.Instant at) {
		imports().updateOne(eq("_id", importId), new Document("$set", new Document("status", status)
				.append("finishedAt", java.util.Date.from(at))));
	}

	@Override
	public Optional<TransactionImport> transactionImport(String importId) {
		return Optional.ofNullable(imports().find(eq("_id", importId)).first()).map(d -> new TransactionImport(
				d.getString("_id"), d.getString("program"), d.getString("format"), d.getString("status"),
				d.getInteger("total"), d.getInteger("processed"), d.getInteger("recorded"), d.getInteger("replayed"),
				d.getInteger("failed"), d.getList("errors", Document.class).stream().map(e -> new RowError(
						e.getInteger("row"), e.getString("field"), e.getString("code"), e.getString("message"))).toList(),
				d.getDate("startedAt").toInstant(), d.getDate("finishedAt") == null ? null : d.getDate("finishedAt").toInstant()));
	}

	private static Document document(Recorded p) {
		Document lines = new Document();
		p.lines().forEach((sku, l) -> lines.append(sku, new Document("bought", l.bought().toPlainString())
				.append("earned", l.earned().toPlainString()).append("returned", l.returned().toPlainString())));
		List<Document> returns = p.returns().entrySet().stream()
				.map(r -> {
					Document kept = new Document("id", r.getKey()).append("points", r.getValue());
					String input = p.returnInputs().get(r.getKey());
					return input == null ? kept : kept.append("input", input);
				}).toList();
		return new Document("_id", p.client() + "|" + p.orderId()).append("client", p.client()).append("order", p.orderId())
				.append("program", p.programId()).append("member", p.memberId()).append("fingerprint", p.fingerprint())
				.append("points", p.points()).append("lines", new Document("list", lines.entrySet().stream()
						.map(e -> new Document("sku", e.getKey()).append("line", e.getValue())).toList()))
				.append("returns", returns).append("takenBack", p.takenBack()).append("revision", p.revision())
				.append("source", new Document("channel", p.source().channel().name()).append("region", p.source().region())
						.append("store", p.source().store()).append("partner", p.source().partner()));
	}

	private static Recorded recorded(Document d) {
		Map<String, Recorded.Line> lines = new LinkedHashMap<>();
		for (Document entry : d.get("lines", Document.class).getList("list", Document.class)) {
			Document l = entry.get("line", Document.class);
			lines.put(entry.getString("sku"), new Recorded.Line(new BigDecimal(l.getString("bought")),
					new BigDecimal(l.getString("earned")), new BigDecimal(l.getString("returned"))));
		}
		Map<String, Long> returns = new LinkedHashMap<>();
		Map<String, String> inputs = new LinkedHashMap<>();
		d.getList("returns", Document.class).forEach(r -> {
			returns.put(r.getString("id"), ((Number) r.get("points")).longValue());
			if (r.getString("input") != null) {
				inputs.put(r.getString("id"), r.getString("input"));
			}
		});
		return new Recorded(d.getString("client"), d.getString("order"), d.getString("program"), d.getString("member"),
				d.getString("fingerprint"), d.getLong("points"), lines, returns, d.getLong("takenBack"), d.getLong("revision"),
				source(d.get("source", Document.class)), inputs);
	}

	private static io.fidelis.points.domain.Source source(Document s) {
		return new io.fidelis.points.domain.Source(io.fidelis.points.domain.Channel.valueOf(s.getString("channel")),
				s.getString("region"), s.getString("store"), s.getString("partner"), null);
	}
}
