package io.fidelis.members.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.MemberStore;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.PhoneNumber;

/**
 * Members in {@code members_profiles}, claims in {@code members_claims}, both addressed by
 * {@code _id} only. The compound unique index {@code {_id, owner}} exists so that the embedded
 * server can run the conditional take-over and release by index instead of by scan.
 * <p>
 * A person's claims (email, phone, card, ...) guard for as long as they stand. An enrollment's
 * idempotency key guards only its retries: it carries {@code requestAt}, and a TTL index on it
 * removes it after {@code fidelis.members.idempotency-retention} (by default the points keys'
 * retention, 7 days; 0 keeps keys for ever), so that every enrollment does not leave a key for
 * good. A retry after that meets the person's claims instead: "already enrolled".
 */
@Component
class MongoMemberStore implements MemberStore {

	static final String PROFILES = "members_profiles";
	static final String CLAIMS = "members_claims";
	static final String STOCK = "members_card_stock";
	static final String RETENTION_INDEX = "request_retention";
	/** MongoDB's error when an index exists with other options. */
	private static final int INDEX_OPTIONS_CONFLICT = 85;

	private final MongoDatabaseFactory factory;
	private final PendingClaimMarks pending = new PendingClaimMarks();

	@org.springframework.beans.factory.annotation.Autowired
	MongoMemberStore(MongoDatabaseFactory factory, @org.springframework.beans.factory.annotation.Value(
			"${fidelis.members.idempotency-retention:${fidelis.points.idempotency-retention:7d}}") java.time.Duration retention) {
		this.factory = factory;
		claims().createIndex(Indexes.ascending("_id", "owner"), new IndexOptions().unique(true).name("claim_owner"));
		profiles().createIndex(Indexes.ascending("_id", "version"), new IndexOptions().unique(true).name("member_version"));
		keepKeysFor(retention);
	}

	MongoMemberStore(MongoDatabaseFactory factory) {
		this(factory, java.time.Duration.ZERO);
	}

	/** A TTL index of the keys' age, or none for 0; changed in place when it exists with another age. */
	private void keepKeysFor(java.time.Duration retention) {
		if (retention.isNegative()) {
			throw new IllegalArgumentException(
					"fidelis.members.idempotency-retention is 0 (keep for ever) or a duration, not " + retention);
		}
		if (retention.isZero()) {
			if (claims().listIndexes().into(new java.util.ArrayList<>()).stream()
					.anyMatch(i -> RETENTION_INDEX.equals(i.getString("name")))) {
				claims().dropIndex(RETENTION_INDEX);
			}
			return;
		}
		long seconds = Math.max(1, retention.toSeconds());
		try {
			claims().createIndex(Indexes.ascending("requestAt"),
					new IndexOptions().name(RETENTION_INDEX).expireAfter(seconds, java.util.concurrent.TimeUnit.SECONDS));
		}
		catch (com.mongodb.MongoCommandException e) {
			if (e.getErrorCode() != INDEX_OPTIONS_CONFLICT) {
				throw e;
			}
			MongoDatabaseUtils.getDatabase(factory).runCommand(new Document("collMod", CLAIMS).append("index",
					new Document("name", RETENTION_INDEX).append("expireAfterSeconds", seconds)));
		}
	}

	/** A claim as stored; an idempotency key's also carries the time the TTL index reads. */
	private static Document claimDocument(IdentityClaim claim, MemberId owner, String fingerprint, Instant at) {
		Document claimed = new Document("_id", claim.key()).append("owner", owner.value()).append("fingerprint", fingerprint)
				.append("claimedAt", Date.from(at));
		return claim.isRequest() ? claimed.append("requestAt", Date.from(at)) : claimed;
	}

	private MongoCollection<Document> profiles() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(PROFILES);
	}

	private MongoCollection<Document> stock() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(STOCK);
	}

	private MongoCollection<Document> claims() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(CLAIMS);
	}

	@Override
	public Optional<Member> find(MemberId id) {
		return Optional.ofNullable(profiles().find(eq("_id", id.value())).first()).map(MongoMemberStore::member);
	}

	@Override
	public List<Member> findAll(Collection<MemberId> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return profiles().find(in("_id", ids.stream().map(MemberId::value).distinct().toList()))
				.map(MongoMemberStore::member).into(new java.util.ArrayList<>());
	}

	@Override
	public void insert(Member member) {
		try {
			profiles().insertOne(document(member));
		}
		catch (MongoWriteException e) {
			if (!isDuplicate(e)) {
				throw e;
			}
			// already there: a resumed enrollment wrote it before
		}
	}

	@Override
	public boolean update(long expectedVersion, Member after) {
		return profiles().replaceOne(new Document("_id", after.id().value()).append("version", expectedVersion), document(after))
				.getModifiedCount() == 1;
	}

	@Override
	public HeldClaim claim(IdentityClaim claim, MemberId owner, String fingerprint, Instant at) {
		while (true) {
			try {
				claims().insertOne(claimDocument(claim, owner, fingerprint, at));
				return new HeldClaim(claim, owner, fingerprint, at);
			}
			catch (MongoWriteException e) {
				if (!isDuplicate(e)) {
					throw e;
				}
			}
			Optional<HeldClaim> held = held(claim);
			if (held.isPresent()) {
				return held.get();
			}
			// released between our insert and our read: try again
		}
	}

	/**
	 * One unordered insert for all the claims; those that were taken already (by an earlier claimant
	 * or by an earlier claim of the same batch) are read back in one query by {@code _id}.
	 */
	@Override
	public List<HeldClaim> claimAll(List<Claiming> wanted, Instant at) {
		if (wanted.isEmpty()) {
			return List.of();
		}
		java.util.Set<Integer> taken = new java.util.HashSet<>();
		List<Document> documents = new ArrayList<>(wanted.size() + 1);
		wanted.forEach(c -> documents.add(claimDocument(c.claim(), c.owner(), c.fingerprint(), at)));
		// the batch's mark, in the same write: a sweep finds the claims of an enrollment that stops here
		pending.noteMinute(claims(), at);
		documents.add(pending.mark(wanted, at));
		try {
			claims().insertMany(documents, new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException e) {
			for (BulkWriteError error : e.getWriteErrors()) {
				if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
					throw e;
				}
				if (error.getIndex() < wanted.size()) {
					taken.add(error.getIndex());
				}
			}
		}
		java.util.Map<String, Document> holders = new java.util.HashMap<>();
		if (!taken.isEmpty()) {
			claims().find(in("_id", taken.stream().map(i -> wanted.get(i).claim().key()).distinct().toList()))
					.forEach(d -> holders.put(d.getString("_id"), d));
		}
		List<HeldClaim> held = new java.util.ArrayList<>(wanted.size());
		for (int i = 0; i < wanted.size(); i++) {
			Claiming c = wanted.get(i);
			Document holder = holders.get(c.claim().key());
			if (!taken.contains(i)) {
				held.add(new HeldClaim(c.claim(), c.owner(), c.fingerprint(), at));
			}
			else if (holder != null) {
				held.add(new HeldClaim(c.claim(), new MemberId(holder.getString("owner")), holder.getString("fingerprint"),
						holder.getDate("claimedAt").toInstant()));
			}
			else {
				held.add(claim(c.claim(), c.owner(), c.fingerprint(), at)); // released meanwhile: claim it alone
			}
		}
		return held;
	}

	@Override
	public void insertAll(List<Member> members) {
		if (members.isEmpty()) {
			return;
		}
		try {
			profiles().insertMany(members.stream().map(MongoMemberStore::document).toList(),
					new InsertManyOptions().ordered(false));
		}
		catch (MongoBulkWriteException e) {
			// already there: resumed enrollments wrote them before
			if (e.getWriteErrors().stream()
					.anyMatch(error -> ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY)) {
				throw e;
			}
		}
	}

	@Override
	public boolean takeOver(IdentityClaim claim, MemberId staleOwner, MemberId newOwner, String fingerprint,
			Instant at) {
		return claims().updateOne(new Document("_id", claim.key()).append("owner", staleOwner.value()),
				Updates.combine(Updates.set("owner", newOwner.value()), Updates.set("fingerprint", fingerprint),
						Updates.set("claimedAt", Date.from(at))))
				.getModifiedCount() == 1;
	}

	@Override
	public boolean release(IdentityClaim claim, MemberId owner) {
		return claims().deleteOne(new Document("_id", claim.key()).append("owner", owner.value())).getDeletedCount() == 1;
	}

	@Override
	public Optional<PendingMinute> nextPendingMinute(Instant before) {
		return pending.next(claims(), before);
	}

	@Override
	public void minuteSwept(PendingMinute minute) {
		pending.swept(claims(), minute);
	}

	@Override
	public void forgetPending(MemberId owner, Instant claimedAt) {
		pending.forget(claims(), owner, claimedAt);
	}

	@Override
	public Optional<HeldClaim> held(IdentityClaim claim) {
		Document found = claims().find(eq("_id", claim.key())).first();
		return Optional.ofNullable(found).map(d -> new HeldClaim(claim, new MemberId(d.getString("owner")),
				d.getString("fingerprint"), d.getDate("claimedAt").toInstant(), d.getString("retired")));
	}

	/** Finds the owner's claims by their owner: a scan on the embedded store, which only an erasure makes. */
	@Override
	public void forgetCardNumbers(MemberId owner, io.fidelis.members.ProgramId program) {
		List<String> numbers = new ArrayList<>();
		claims().find(eq("owner", owner.value())).forEach(d -> {
			if (new IdentityClaim(d.getString("_id")).isCard()) {
				numbers.add(d.getString("_id"));
			}
		});
		for (String key : numbers) {
			CardNumber number = new CardNumber(key.substring(key.lastIndexOf('|') + 1));
			try {
				claims().insertOne(new Document("_id", IdentityClaim.cardDigest(program, number).key())
						.append("owner", owner.value()).append("fingerprint", "erased").append("claimedAt", new Date()));
			}
			catch (MongoWriteException e) {
				if (!isDuplicate(e)) {
					throw e;
				}
			}
			claims().deleteOne(new Document("_id", key).append("owner", owner.value()));
		}
	}

	@Override
	public boolean retireCard(IdentityClaim card, MemberId owner, String reason, String replacedBy, Instant at) {
		return claims().updateOne(new Document("_id", card.key()).append("owner", owner.value()),
				Updates.combine(Updates.set("retired", reason), Updates.set("replacedBy", replacedBy),
						Updates.set("retiredAt", Date.from(at))))
				.getMatchedCount() == 1;
	}

	@Override
	public Optional<RetiredCard> retiredCard(IdentityClaim card) {
		Document found = claims().find(eq("_id", card.key())).first();
		if (found == null || found.getString("retired") == null) {
			return Optional.empty();
		}
		return Optional.of(new RetiredCard(new MemberId(found.getString("owner")), found.getString("retired"),
				found.getString("replacedBy"), found.getDate("retiredAt").toInstant()));
	}

	@Override
	public boolean addStockBatch(io.fidelis.members.application.CardStock.Batch batch) {
		try {
			stock().insertOne(new Document("_id", batch.programId().value() + "|" + batch.batchId())
					.append("program", batch.programId().value()).append("batch", batch.batchId())
					.append("numbers", batch.cardNumbers()).append("issuedAt", Date.from(batch.issuedAt()))
					.append("issuedBy", batch.issuedBy()));
			return true;
		}
		catch (MongoWriteException e) {
			if (!isDuplicate(e)) {
				throw e;
			}
			return false;
		}
	}

	@Override
	public Optional<io.fidelis.members.application.CardStock.Batch> stockBatch(io.fidelis.members.ProgramId program,
			String batchId) {
		Document d = stock().find(eq("_id", program.value() + "|" + batchId)).first();
		return Optional.ofNullable(d).map(found -> new io.fidelis.members.application.CardStock.Batch(
				found.getString("batch"), program, found.getList("numbers", String.class),
				found.getDate("issuedAt").toInstant(), found.getString("issuedBy")));
	}

	private static boolean isDuplicate(MongoWriteException e) {
		return e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
	}

	private static Document document(Member m) {
		return new Document("_id", m.id().value())
				.append("programId", m.programId().value())
				.append("email", m.email().value())
				.append("name", m.name())
				.append("phone", m.phoneNumber().map(PhoneNumber::value).orElse(null))
				.append("externalId", m.externalId())
				.append("cardNumber", m.cardNumber().value())
				.append("version", m.version())
				.append("status", m.status().name())
				.append("consent", new Document("marketingOptIn", m.consent().marketingOptIn())
						.append("termsVersion", m.consent().termsVersion())
						.append("recordedAt", Date.from(m.consent().recordedAt())))
				.append("channel", m.channel().name())
				.append("enrolledBy", m.enrolledBy())
				.append("subject", m.subject())
				.append("enrolledAt", Date.from(m.enrolledAt()))
				.append("birthDate", m.birthDate() == null ? null : m.birthDate().toString())
				.append("referredBy", m.referredBy() == null ? null : m.referredBy().value());
	}

	private static Member member(Document d) {
		Document consent = d.get("consent", Document.class);
		String phone = d.getString("phone");
		return new Member(new MemberId(d.getString("_id")), new ProgramId(d.getString("programId")),
				new EmailAddress(d.getString("email")), d.getString("name"), phone == null ? null : new PhoneNumber(phone),
				d.getString("externalId"), new CardNumber(d.getString("cardNumber")),
				MemberStatus.valueOf(d.getString("status")),
				new Consent(consent.getBoolean("marketingOptIn"), consent.getString("termsVersion"),
						consent.getDate("recordedAt").toInstant()),
				EnrollmentChannel.valueOf(d.getString("channel")), d.getString("enrolledBy"), d.getString("subject"),
				d.getDate("enrolledAt").toInstant(), ((Number) d.get("version")).longValue(),
				d.getString("birthDate") == null ? null : java.time.LocalDate.parse(d.getString("birthDate")),
				d.getString("referredBy") == null ? null : new MemberId(d.getString("referredBy")));
	}
}
