package io.fidelis.cards.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;
import org.bson.types.Binary;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import io.fidelis.cards.application.CardStore;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;

/**
 * Cards, registrations, designs and pending wallet updates in MongoDB. Guarded writes filter on
 * exactly the keys of a compound unique index ({@code _id} plus revision, tag or lease), which both
 * MongoDB and the embedded server answer from the index.
 */
@Component
class MongoCardStore implements CardStore {

	static final String CARDS = "cards_cards";
	static final String REGISTRATIONS = "cards_registrations";
	static final String DESIGNS = "cards_designs";
	static final String DUE = "cards_due";
	static final String RETIRED = "cards_retired";
	/** Per device, the serials it registered; per serial, the devices: reads by {@code _id}, as everywhere. */
	static final String DEVICES = "cards_devices";
	static final String PASS_DEVICES = "cards_pass_devices";

	private final MongoDatabaseFactory factory;

	MongoCardStore(MongoDatabaseFactory factory) {
		this.factory = factory;
		cards().createIndex(Indexes.ascending("member"), new IndexOptions().unique(true).name("card_member"));
		cards().createIndex(Indexes.ascending("_id", "revision"), new IndexOptions().unique(true).name("card_revision"));
		cards().createIndex(Indexes.ascending("program", "_id"), new IndexOptions().unique(true).name("card_program"));
		due().createIndex(Indexes.ascending("_id", "tag"), new IndexOptions().unique(true).name("due_tag"));
		due().createIndex(Indexes.ascending("_id", "lease"), new IndexOptions().unique(true).name("due_lease"));
	}

	private MongoCollection<Document> cards() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(CARDS);
	}

	/** Per member, the passes that new ones replaced: an erasure must reach them too. */
	private MongoCollection<Document> retiredPasses() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(RETIRED);
	}

	private MongoCollection<Document> registrations() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(REGISTRATIONS);
	}

	private MongoCollection<Document> devices() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DEVICES);
	}

	private MongoCollection<Document> passDevices() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(PASS_DEVICES);
	}

	private MongoCollection<Document> designs() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DESIGNS);
	}

	private MongoCollection<Document> due() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(DUE);
	}

	@Override
	public Optional<WalletCard> find(String serialNumber) {
		return Optional.ofNullable(cards().find(eq("_id", serialNumber)).first()).map(MongoCardStore::card);
	}

	@Override
	public Optional<WalletCard> findByMember(String memberId) {
		return Optional.ofNullable(cards().find(eq("member", memberId)).first()).map(MongoCardStore::card);
	}

	@Override
	public boolean insert(WalletCard card) {
		try {
			cards().insertOne(document(card.stored(1)));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			return false;
		}
	}

	/** {@code {member: {$in: [...]}}}: answered from the unique member index. */
	@Override
	public java.util.Map<String, WalletCard> findByMembers(java.util.Collection<String> memberIds) {
		java.util.Map<String, WalletCard> found = new java.util.HashMap<>();
		if (!memberIds.isEmpty()) {
			cards().find(Filters.in("member", memberIds.stream().distinct().toList()))
					.forEach(d -> found.put(d.getString("member"), card(d)));
		}
		return found;
	}

	@Override
	public void insertAll(List<WalletCard> cards) {
		if (cards.isEmpty()) {
			return;
		}
		try {
			cards().insertMany(cards.stream().map(c -> document(c.stored(1))).toList(),
					new com.mongodb.client.model.InsertManyOptions().ordered(false));
		}
		catch (com.mongodb.MongoBulkWriteException e) {
			// a member issued a card meanwhile (another delivery): theirs stands
			if (e.getWriteErrors().stream()
					.anyMatch(w -> ErrorCategory.fromErrorCode(w.getCode()) != ErrorCategory.DUPLICATE_KEY)) {
				throw e;
			}
		}
	}

	@Override
	public boolean update(WalletCard card) {
		return cards().replaceOne(new Document("_id", card.serialNumber()).append("revision", card.revision()),
				document(card.stored(card.revision() + 1))).getModifiedCount() == 1;
	}

	/** One unordered bulk write; each replacement still names the revision it was read at. */
	@Override
	public java.util.Set<String> updateAll(List<WalletCard> cards) {
		java.util.Set<String> missed = new java.util.HashSet<>();
		if (cards.isEmpty()) {
			return missed;
		}
		List<com.mongodb.client.model.WriteModel<Document>> writes = cards.stream()
				.<com.mongodb.client.model.WriteModel<Document>>map(c -> new com.mongodb.client.model.ReplaceOneModel<>(
						new Document("_id", c.serialNumber()).append("revision", c.revision()),
						document(c.stored(c.revision() + 1))))
				.toList();
		com.mongodb.bulk.BulkWriteResult result = cards().bulkWrite(writes,
				new com.mongodb.client.model.BulkWriteOptions().ordered(false));
		if (result.getMatchedCount() == cards.size()) {
			return missed;
		}
		// some came second: those stored now as something else than this batch wrote (one read by exact keys);
		// a revision alone would not tell, since the change that came first holds the same revision
		java.util.Map<String, WalletCard> now = new java.util.HashMap<>();
		cards().find(Filters.in("_id", cards.stream().map(WalletCard::serialNumber).toList()))
				.forEach(d -> now.put(d.getString("_id"), card(d)));
		cards.forEach(c -> {
			if (!c.stored(c.revision() + 1).equals(now.get(c.serialNumber()))) {
				missed.add(c.serialNumber());
			}
		});
		return missed;
	}

	@Override
	public void noteRetired(String memberId, String serialNumber) {
		retiredPasses().updateOne(eq("_id", memberId), Updates.addToSet("serials", serialNumber),
				new UpdateOptions().upsert(true));
	}

	@Override
	public List<WalletCard> retiredOf(String memberId) {
		Document found = retiredPasses().find(eq("_id", memberId)).first();
		List<WalletCard> retired = new ArrayList<>();
		if (found != null) {
			cards().find(Filters.in("_id", found.getList("serials", String.class, List.of())))
					.forEach(d -> retired.add(card(d)));
		}
		return retired;
	}

	@Override
	public List<WalletCard> list(String programId, String afterSerial, int limit) {
		var filter = afterSerial == null ? eq("program", programId)
				: Filters.and(eq("program", programId), Filters.gt("_id", afterSerial));
		List<WalletCard> found = new ArrayList<>();
		cards().find(filter).sort(Sorts.ascending("_id")).limit(limit).forEach(d -> found.add(card(d)));
		return found;
	}

	@Override
	public Registered register(String device, String serialNumber, String pushToken, Instant at) {
		Document registration = new Document("_id", device + "|" + serialNumber).append("device", device)
				.append("serial", serialNumber).append("pushToken", pushToken).append("at", Date.from(at));
		Registered answer;
		try {
			registrations().insertOne(registration);
			answer = Registered.NEW;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
				throw e;
			}
			// registered before: the phone may have a new push token
			registrations().replaceOne(eq("_id", device + "|" + serialNumber), registration);
			answer = Registered.EXISTING;
		}
		// both ways, every time: a crash between these writes is healed by the phone's next registration
		devices().updateOne(eq("_id", device), Updates.addToSet("serials", serialNumber), new UpdateOptions().upsert(true));
		passDevices().updateOne(eq("_id", serialNumber), Updates.addToSet("devices", device),
				new UpdateOptions().upsert(true));
		return answer;
	}

	@Override
	public boolean unregister(String device, String serialNumber) {
		boolean removed = registrations().deleteOne(eq("_id", device + "|" + serialNumber)).getDeletedCount() == 1;
		devices().updateOne(eq("_id", device), Updates.pull("serials", serialNumber));
		passDevices().updateOne(eq("_id", serialNumber), Updates.pull("devices", device));
		return removed;
	}

	@Override
	public List<String> serialsOf(String device) {
		Document found = devices().find(eq("_id", device)).first();
		return found == null ? List.of() : List.copyOf(found.getList("serials", String.class));
	}

	@Override
	public List<Registration> registrationsOf(String serialNumber) {
		Document pass = passDevices().find(eq("_id", serialNumber)).first();
		if (pass == null) {
			return List.of();
		}
		List<String> ids = pass.getList("devices", String.class).stream().map(d -> d + "|" + serialNumber).toList();
		List<Registration> found = new ArrayList<>();
		registrations().find(Filters.in("_id", ids)).forEach(d -> found.add(
				new Registration(d.getString("device"), d.getString("serial"), d.getString("pushToken"))));
		return found;
	}

	@Override
	public java.util.Set<String> registered(java.util.Collection<String> serialNumbers) {
		java.util.Set<String> found = new java.util.HashSet<>();
		if (!serialNumbers.isEmpty()) {
			passDevices().find(Filters.in("_id", serialNumbers.stream().distinct().toList())).forEach(d -> {
				if (!d.getList("devices", String.class, List.of()).isEmpty()) {
					found.add(d.getString("_id"));
				}
			});
		}
		return found;
	}

	@Override
	public Optional<CardDesign> design(String programId) {
		Document d = designs().find(eq("_id", programId)).first();
		return Optional.ofNullable(d).map(found -> new CardDesign(programId, found.getString("organizationName"),
				found.getString("description"), found.getString("logoText"), found.getString("backgroundColor"),
				found.getString("foregroundColor"), found.getString("labelColor"),
				CardDesign.BarcodeFormat.valueOf(found.getString("barcodeFormat")), bytes(found, "logo"),
				bytes(found, "icon"), bytes(found, "strip"), new io.fidelis.cards.domain.CardBack(found.getString("terms"),
						found.getString("website"), found.getString("phone"), found.getString("about"),
						found.getBoolean("sharingProhibited", false), found.getString("appLaunchUrl"),
						found.getList("appStoreIds", Long.class, List.of())),
				found.getList("languages", Document.class, List.of()).stream()
						.map(l -> new io.fidelis.cards.domain.CardLanguage(l.getString("language"),
								l.get("words", Document.class).entrySet().stream().collect(java.util.stream.Collectors.toMap(
										Map.Entry::getKey, e -> (String) e.getValue(), (a, b) -> a, java.util.LinkedHashMap::new))))
						.toList(), bytes(found, "squareLogo")));
	}

	@Override
	public void saveDesign(CardDesign design) {
		Document d = new Document("_id", design.programId()).append("organizationName", design.organizationName())
				.append("description", design.description()).append("logoText", design.logoText())
				.append("backgroundColor", design.backgroundColor()).append("foregroundColor", design.foregroundColor())
				.append("labelColor", design.labelColor()).append("barcodeFormat", design.barcodeFormat().name())
				.append("logo", design.logo() == null ? null : new Binary(design.logo()))
				.append("icon", design.icon() == null ? null : new Binary(design.icon()))
				.append("strip", design.strip() == null ? null : new Binary(design.strip()))
				.append("squareLogo", design.squareLogo() == null ? null : new Binary(design.squareLogo()))
				.append("terms", design.back().terms()).append("website", design.back().website())
				.append("phone", design.back().phone()).append("about", design.back().about())
				.append("sharingProhibited", design.back().sharingProhibited())
				.append("appLaunchUrl", design.back().appLaunchUrl()).append("appStoreIds", design.back().appStoreIds())
				.append("languages", design.languages().stream()
						.map(l -> new Document("language", l.language()).append("words", new Document(l.words()))).toList());
		designs().replaceOne(eq("_id", design.programId()), d, new ReplaceOptions().upsert(true));
	}

	@Override
	public void due(String serialNumber, Wallet wallet, long tag, Instant notBefore) {
		String id = serialNumber + "|" + wallet.name();
		while (true) {
			Document current = due().find(eq("_id", id)).first();
			if (current == null) {
				try {
					due().insertOne(new Document("_id", id).append("serial", serialNumber).append("wallet", wallet.name())
							.append("tag", tag).append("attempts", 0).append("lease", 0L)
							.append("leaseUntil", new Date(0)).append("notBefore", Date.from(notBefore)));
					return;
				}
				catch (MongoWriteException e) {
					if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
						throw e;
					}
					continue;
				}
			}
			long known = current.getLong("tag");
			if (known >= tag) {
				return;
			}
			// a newer version is due when it says, whatever the earlier one's back-off said
			if (due().updateOne(new Document("_id", id).append("tag", known),
					Updates.combine(Updates.set("tag", tag), Updates.set("attempts", 0),
							Updates.set("notBefore", Date.from(notBefore)))).getModifiedCount() == 1) {
				return;
			}
		}
	}

	@Override
	public long dueCount() {
		return due().estimatedDocumentCount(); // a count the store keeps, no read of the documents
	}

	@Override
	public List<Due> claimDue(String node, Instant now, Duration lease, int max) {
		List<Due> claimed = new ArrayList<>();
		if (due().estimatedDocumentCount() == 0) {
			return claimed; // nothing pending: a count the store answers without reading the collection
		}
		// pending updates are few (delivered ones are deleted), so reading them all is cheap
		for (Document d : due().find(Filters.and(Filters.lte("notBefore", Date.from(now)),
				Filters.lte("leaseUntil", Date.from(now)))).limit(max * 4)) {
			long current = d.getLong("lease");
			if (due().updateOne(new Document("_id", d.getString("_id")).append("lease", current),
					Updates.combine(Updates.set("lease", current + 1), Updates.set("leaseOwner", node),
							Updates.set("leaseUntil", Date.from(now.plus(lease))))).getModifiedCount() == 1) {
				claimed.add(new Due(d.getString("serial"), Wallet.valueOf(d.getString("wallet")), d.getLong("tag"),
						d.getInteger("attempts", 0), current + 1));
				if (claimed.size() == max) {
					break;
				}
			}
		}
		return claimed;
	}

	@Override
	public void delivered(Due due) {
		String id = due.serialNumber() + "|" + due.wallet().name();
		if (due().deleteOne(new Document("_id", id).append("tag", due.tag())).getDeletedCount() == 0) {
			// changed again while we delivered: free it for the next round at once
			due().updateOne(new Document("_id", id).append("lease", due.lease()),
					Updates.set("leaseUntil", new Date(0)));
		}
	}

	@Override
	public void retryLater(Due due, Instant notBefore, String error) {
		String id = due.serialNumber() + "|" + due.wallet().name();
		due().updateOne(new Document("_id", id).append("lease", due.lease()),
				Updates.combine(Updates.set("leaseUntil", new Date(0)), Updates.set("notBefore", Date.from(notBefore)),
						Updates.inc("attempts", 1), Updates.set("lastError", error)));
	}

	private static byte[] bytes(Document d, String key) {
		Object value = d.get(key);
		return value instanceof Binary b ? b.getData() : null;
	}

	private static Document document(WalletCard c) {
		// the member's one current card is found by "member" (a unique index); a pass replaced by a new one keeps
		// its member under "memberId" only, so that the new pass can take "member"
		return new Document("_id", c.serialNumber()).append("member", c.retired() ? c.memberId() + "|" + c.serialNumber()
				: c.memberId()).append("memberId", c.memberId()).append("retired", c.retired()).append("program", c.programId())
				.append("cardNumber", c.cardNumber()).append("name", c.memberName()).append("tier", c.tier())
				.append("available", c.available()).append("pending", c.pending())
				.append("balanceVersion", c.balanceVersion()).append("expiringSoon", c.expiringSoon())
				.append("expiringFirst", c.expiringFirst() == null ? null : Date.from(c.expiringFirst()))
				.append("status", c.status().name()).append("statusReason", c.statusReason())
				.append("token", c.authenticationToken()).append("tag", c.updateTag())
				.append("updatedAt", Date.from(c.updatedAt())).append("revision", c.revision());
	}

	private static WalletCard card(Document d) {
		Date expiring = d.getDate("expiringFirst");
		String member = d.getString("memberId") != null ? d.getString("memberId") : d.getString("member");
		return new WalletCard(d.getString("_id"), member, d.getString("program"),
				d.getString("cardNumber"), d.getString("name"), d.getString("tier"), d.getLong("available"),
				d.getLong("pending"), d.getLong("balanceVersion"), d.getLong("expiringSoon"),
				expiring == null ? null : expiring.toInstant(), WalletCard.CardStatus.valueOf(d.getString("status")),
				d.getString("statusReason"), d.getString("token"), d.getLong("tag"), d.getDate("updatedAt").toInstant(),
				d.getLong("revision"), d.getBoolean("retired", false));
	}
}
