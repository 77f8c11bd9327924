package io.fidelis.points.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.bson.Document;
import org.springframework.data.mongodb.MongoDatabaseFactory;
import org.springframework.data.mongodb.MongoDatabaseUtils;
import org.springframework.stereotype.Component;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;

import io.fidelis.points.application.RuleBook;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.ExpiryPolicy;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.ReturnPolicy;

/**
 * Point rules in {@code points_rules}, keyed by program id. Every movement needs its program's
 * rules, and they change rarely: a read is kept for {@link #REMEMBERED_FOR}, so that a busy
 * program's rules are read about once a second rather than once per request. A change made on
 * this node is seen at once; one made on another node within that second.
 */
@Component
class MongoRuleBook implements RuleBook {

	static final String RULES = "points_rules";
	static final long REMEMBERED_FOR = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

	private final MongoDatabaseFactory factory;
	/** Rules read lately, by program; only programs that have rules, so its size is the number of programs. */
	private final RecentReads<PointRules> recent;

	@org.springframework.beans.factory.annotation.Autowired
	MongoRuleBook(MongoDatabaseFactory factory) {
		this(factory, System::nanoTime);
	}

	/** @param ticker nanoseconds, as {@link System#nanoTime()} (tests move it by hand) */
	MongoRuleBook(MongoDatabaseFactory factory, java.util.function.LongSupplier ticker) {
		this.factory = factory;
		this.recent = new RecentReads<>(REMEMBERED_FOR, ticker);
	}

	private MongoCollection<Document> rules() {
		return MongoDatabaseUtils.getDatabase(factory).getCollection(RULES);
	}

	@Override
	public Optional<PointRules> find(String programId) {
		return recent.get(programId, id -> Optional.ofNullable(rules().find(eq("_id", id)).first()).map(MongoRuleBook::rules));
	}

	@Override
	public boolean addIfAbsent(PointRules rules) {
		try {
			rules().insertOne(document(rules));
			return true;
		}
		catch (MongoWriteException e) {
			if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
				return false;
			}
			throw e;
		}
	}

	@Override
	public void replace(PointRules rules) {
		rules().replaceOne(eq("_id", rules.programId()), document(rules), new ReplaceOptions().upsert(true));
		recent.changed(rules.programId());
	}

	private static Document document(PointRules r) {
		Document rates = new Document();
		r.earnRates().forEach((currency, rate) -> rates.append(currency, new Document("pointsPerUnit",
				rate.pointsPerUnit().toPlainString()).append("rounding", rate.rounding().name())));
		Document expiry = new Document("kind", "NEVER");
		if (r.expiry() instanceof ExpiryPolicy.RollingMonths m) {
			expiry = new Document("kind", "ROLLING_MONTHS").append("months", m.months());
		}
		else if (r.expiry() instanceof ExpiryPolicy.PeriodEnd p) {
			expiry = new Document("kind", "PERIOD_END").append("months", p.periodMonths());
		}
		return new Document("_id", r.programId()).append("timeZone", r.timeZone().getId()).append("earnRates", rates)
				.append("minimumRedemption", r.minimumRedemption()).append("pendingDays", r.pendingDays())
				.append("expiry", expiry).append("returns", r.returns().name())
				.append("membersMayRedeem", r.membersMayRedeem())
				.append("channels", r.channels().stream().map(Enum::name).sorted().toList());
	}

	private static PointRules rules(Document d) {
		Map<String, EarnRate> rates = new TreeMap<>();
		d.get("earnRates", Document.class).forEach((currency, value) -> {
			Document rate = (Document) value;
			rates.put(currency, new EarnRate(new BigDecimal(rate.getString("pointsPerUnit")),
					RoundingMode.valueOf(rate.getString("rounding"))));
		});
		Document expiry = d.get("expiry", Document.class);
		ExpiryPolicy policy = switch (expiry.getString("kind")) {
			case "ROLLING_MONTHS" -> new ExpiryPolicy.RollingMonths(expiry.getInteger("months"));
			case "PERIOD_END" -> new ExpiryPolicy.PeriodEnd(expiry.getInteger("months"));
			default -> new ExpiryPolicy.Never();
		};
		return new PointRules(d.getString("_id"), ZoneId.of(d.getString("timeZone")), rates,
				((Number) d.get("minimumRedemption")).longValue(), d.getInteger("pendingDays"), policy,
				ReturnPolicy.valueOf(d.getString("returns")), d.getBoolean("membersMayRedeem"),
				d.containsKey("channels") ? d.getList("channels", String.class).stream().map(Channel::valueOf)
						.collect(java.util.stream.Collectors.toCollection(() -> java.util.EnumSet.noneOf(Channel.class)))
						: java.util.EnumSet.allOf(Channel.class));
	}
}
