package io.fidelis.points.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.RewardRedeemed;
import io.fidelis.points.RewardRefunded;
import io.fidelis.points.RewardStockLow;
import io.fidelis.points.application.MovingPoints.Movement;
import io.fidelis.points.application.MovingPoints.Moved;
import io.fidelis.points.application.RewardShelf.Redemption;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.FreeText;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Reward;
import io.fidelis.points.domain.RewardRedemption;
import io.fidelis.points.domain.Source;

/**
 * The rewards catalog: staff define rewards, members and tills redeem them with points, staff
 * (or the till that redeemed) refund them. A redemption takes a place under the reward's limit
 * per member, a unit of its stock and the points, each step once however often the request is
 * sent (its idempotency key names the redemption), and answers a refusal having given back what
 * it took. A refund gives the points, the unit and the place back, once.
 */
@Service
public class RedeemingRewards {

	/**
	 * Refunds credit the points back under one caller, whoever asks, so that the ledger's key of a
	 * refund is the redemption's alone: a refund resumed by another member of staff credits once.
	 */
	static final Caller REFUNDS = new Caller.Staff("system:rewards", Set.of("admin"));
	/** A retry this soon after the redemption (or refund) announces it again, the same event: see {@link RewardRedeemed}. */
	static final java.time.Duration ANNOUNCED_AGAIN_WITHIN = java.time.Duration.ofMinutes(15);
	private static final String CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	private static final int LOCKS = 256;

	private final RewardShelf shelf;
	private final MovementDesk desk;
	private final MemberDirectory members;
	private final SettingRules rules;
	private final Clock clock;
	private final ApplicationEventPublisher events;
	private final SecureRandom random = new SecureRandom();
	/** Copies of one request on this node take turns (across nodes, the redemption's revision decides). */
	private final Lock[] turns = new Lock[LOCKS];

	{
		for (int i = 0; i < LOCKS; i++) {
			turns[i] = new ReentrantLock();
		}
	}

	RedeemingRewards(RewardShelf shelf, MovementDesk desk, MemberDirectory members, SettingRules rules, Clock clock,
			ApplicationEventPublisher events) {
		this.events = events;
		this.shelf = shelf;
		this.desk = desk;
		this.members = members;
		this.rules = rules;
		this.clock = clock;
	}

	public sealed interface Outcome<T> {
		record Done<T>(T value, boolean replayed) implements Outcome<T> {
		}

		record Refused<T>(Refusal refusal) implements Outcome<T> {
		}
	}

	/** Adds the reward to its program's catalog, or changes it; its stock is a total (see {@link RewardShelf#define}). */
	public Outcome<RewardShelf.Shelved> define(Caller caller, Reward reward) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(reward.programId()));
		if (outOfReach.isPresent()) {
			return new Outcome.Refused<>(outOfReach.get());
		}
		Optional<PointRules> programRules = rules.rules(reward.programId());
		if (programRules.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "There is no program '" + reward.programId() + "'");
		}
		if (reward.points() < programRules.get().minimumRedemption()) {
			// the ledger would refuse every redemption of it
			return refused(Refusal.Reason.VALIDATION, "Reward '" + reward.rewardId() + "' costs " + reward.points()
					+ " points, less than the program's minimumRedemption (" + programRules.get().minimumRedemption() + ")");
		}
		if (!shelf.define(reward)) {
			return refused(Refusal.Reason.CONFLICT, "Reward '" + reward.rewardId() + "' has handed out more than "
					+ reward.stock() + " units already; its stock cannot go below that");
		}
		return new Outcome.Done<>(shelf.reward(reward.programId(), reward.rewardId()).orElseThrow(), false);
	}

	/** Codes per import at most. */
	static final int MOST_CODES = 10_000;

	/**
	 * Adds codes to a pool reward's pool: one code per line (a first line {@code code} is a header;
	 * only a line's first comma-separated field counts). Codes the pool has already, and repeats, are
	 * counted, not added; the same import sent again adds nothing.
	 */
	public Outcome<RewardShelf.Imported> importCodes(Caller caller, String programId, String rewardId, String lines) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(programId));
		if (outOfReach.isPresent()) {
			return new Outcome.Refused<>(outOfReach.get());
		}
		java.util.LinkedHashSet<String> codes = new java.util.LinkedHashSet<>();
		List<String> read = lines == null ? List.of() : lines.lines().map(l -> l.split(",", 2)[0].strip()).toList();
		for (int i = 0; i < read.size(); i++) {
			String code = read.get(i);
			if (code.isEmpty() || i == 0 && code.equalsIgnoreCase("code")) {
				continue;
			}
			if (!code.matches("[A-Za-z0-9-]{4,64}")) {
				throw new InvalidPoints("codes", "Line " + (i + 1) + ": a code is 4 to 64 letters, digits or -");
			}
			codes.add(code);
		}
		if (codes.isEmpty() || codes.size() > MOST_CODES) {
			throw new InvalidPoints("codes", "An import brings 1 to " + MOST_CODES + " codes, one per line");
		}
		Optional<RewardShelf.Shelved> shelved = shelf.reward(programId, rewardId);
		if (shelved.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "Program '" + programId + "' has no reward '" + rewardId + "'");
		}
		if (shelved.get().reward().fulfilment() != Reward.Fulfilment.POOL) {
			return refused(Refusal.Reason.CONFLICT, "Reward '" + rewardId + "' makes its codes itself or has none; "
					+ "only a POOL reward takes imported codes");
		}
		return shelf.importCodes(programId, rewardId, List.copyOf(codes))
				.<Outcome<RewardShelf.Imported>>map(imported -> new Outcome.Done<>(imported, imported.added() == 0))
				.orElseGet(() -> refused(Refusal.Reason.CONFLICT, "Reward '" + rewardId + "' has no pool yet"));
	}

	/** The program's catalog: what can be redeemed now, or (staff) every reward defined. */
	public Outcome<List<RewardShelf.Shelved>> catalog(Caller caller, String programId, boolean includeUnavailable) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(programId));
		if (outOfReach.isPresent()) {
			return new Outcome.Refused<>(outOfReach.get());
		}
		if (includeUnavailable && !(caller instanceof Caller.Staff)) {
			return refused(Refusal.Reason.FORBIDDEN, "Only staff see rewards that cannot be redeemed now");
		}
		Instant now = clock.instant();
		return new Outcome.Done<>(shelf.rewards(programId).stream()
				.filter(s -> includeUnavailable || s.reward().unavailableAt(now) == null).toList(), false);
	}

	public Optional<RewardShelf.Shelved> reward(String programId, String rewardId) {
		return shelf.reward(programId, rewardId);
	}

	/**
	 * Redeems the reward for the member: a place under its limit, a unit of its stock, its points;
	 * the same key again answers the first outcome ({@code replayed}), with another member or reward
	 * {@code IDEMPOTENCY_KEY_REUSED}.
	 */
	@Transactional // its events are stored as it ends
	public Outcome<RewardRedemption> redeem(Caller caller, String memberId, String rewardId, Source source,
			String idempotencyKey) {
		if (memberId == null || memberId.isBlank()) {
			throw new InvalidPoints("memberId", "memberId must not be blank");
		}
		if (rewardId == null || rewardId.isBlank()) {
			throw new InvalidPoints("rewardId", "rewardId must not be blank");
		}
		requireKey(idempotencyKey);
		MemberId member = new MemberId(memberId);
		Optional<ProgramId> program = members.programOf(member);
		if (program.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "There is no member '" + memberId + "'");
		}
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, program.get());
		if (outOfReach.isPresent()) {
			return new Outcome.Refused<>(outOfReach.get());
		}
		if (caller instanceof Caller.Member self) {
			if (!members.isSelf(self, member)) {
				return refused(Refusal.Reason.FORBIDDEN, "Members may only redeem rewards for themselves");
			}
			if (!rules.rules(program.get().value()).map(PointRules::membersMayRedeem).orElse(false)) {
				return refused(Refusal.Reason.FORBIDDEN,
						"In this program points are redeemed at the till or online, not by members themselves");
			}
		}
		String redemptionId = "rr_" + io.fidelis.points.domain.Fingerprint.of(caller.key() + "|" + idempotencyKey).substring(0, 32);
		String fingerprint = io.fidelis.points.domain.Fingerprint.of(memberId + "|" + rewardId);
		Lock turn = turns[Math.floorMod(redemptionId.hashCode(), LOCKS)];
		turn.lock();
		try {
			Optional<Redemption> earlier = shelf.redemption(redemptionId);
			if (earlier.isPresent()) {
				return resume(caller, earlier.get(), fingerprint, source);
			}
			Optional<RewardShelf.Shelved> shelved = shelf.reward(program.get().value(), rewardId);
			if (shelved.isEmpty()) {
				return refused(Refusal.Reason.NOT_FOUND, "Program '" + program.get() + "' has no reward '" + rewardId + "'");
			}
			Reward reward = shelved.get().reward();
			String unavailable = reward.unavailableAt(clock.instant());
			if (unavailable != null) {
				return refused(Refusal.Reason.CONFLICT, unavailable);
			}
			if (!members.isActive(member)) {
				return refused(Refusal.Reason.CONFLICT, "Member '" + memberId + "' is suspended or closed; points cannot move");
			}
			String code = reward.fulfilment() == Reward.Fulfilment.GENERATED_CODE ? code() : null;
			Redemption fresh = new Redemption(redemptionId, fingerprint, reward.programId(), reward.rewardId(), memberId,
					reward.points(), code, caller.key(), clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "CLAIMED", null, false, false, 0, null, null, 0);
			return resume(caller, shelf.claim(fresh), fingerprint, source);
		}
		finally {
			turn.unlock();
		}
	}

	/** Takes the redemption from where it stands to its end, each step once. */
	private Outcome<RewardRedemption> resume(Caller caller, Redemption r, String fingerprint, Source source) {
		if (!r.fingerprint().equals(fingerprint)) {
			return refused(Refusal.Reason.IDEMPOTENCY_KEY_REUSED,
					"This idempotency key was already used to redeem another reward or for another member");
		}
		switch (r.state()) {
			case "REDEEMED", "REFUNDING", "REFUNDED":
				shelf.listFor(r.memberId(), r.redemptionId()); // a crash may have come before it was listed
				noteDay(r.programId(), r.at(), "redeemed", r.redemptionId());
				if (r.at().isAfter(clock.instant().minus(ANNOUNCED_AGAIN_WITHIN))) {
					announce(r, shelf.reward(r.programId(), r.rewardId()).map(RewardShelf.Shelved::reward).orElse(null), false);
				}
				return new Outcome.Done<>(r.view(), true);
			case "REFUSED":
				giveBack(r); // a crash may have come before everything went back
				return new Outcome.Refused<>(r.refusal());
			default:
				break;
		}
		Reward reward = shelf.reward(r.programId(), r.rewardId()).map(RewardShelf.Shelved::reward).orElse(null);
		if (reward != null && reward.perMemberLimit() != null
				&& !shelf.hold(r.programId(), r.rewardId(), r.memberId(), r.redemptionId(), reward.perMemberLimit())) {
			return refuse(r, new Refusal(Refusal.Reason.CONFLICT, "Member '" + r.memberId() + "' holds reward '"
					+ r.rewardId() + "' " + reward.perMemberLimit() + " times already, its most per member"));
		}
		Long left = null;
		if (reward != null && reward.counted() && !r.stockTaken()) {
			String code = r.code();
			if (reward.fulfilment() == Reward.Fulfilment.POOL) {
				RewardShelf.Drawn drawn = shelf.draw(r.programId(), r.rewardId(), r.redemptionId());
				left = drawn == null ? null : drawn.left();
				code = drawn == null ? null : drawn.code();
			}
			else {
				left = shelf.takeUnit(r.programId(), r.rewardId(), r.redemptionId());
			}
			if (left == null) {
				return refuse(r, new Refusal(Refusal.Reason.CONFLICT, "Reward '" + r.rewardId() + "' is sold out"));
			}
			String drawnCode = code;
			r = step(r, x -> "CLAIMED".equals(x.state()) ? withCode(with(x, x.state(), true, x.stockReturned(),
					x.availableAfter()), drawnCode) : x);
			shelf.keepUnit(r.programId(), r.rewardId(), r.redemptionId());
		}
		if (!"CLAIMED".equals(r.state())) { // a copy of the request finished it meanwhile
			return resume(caller, r, fingerprint, source);
		}
		Moved moved = desk.move(caller, new Movement.Redeem(r.memberId(), r.points(), source, "reward " + r.rewardId(),
				"reward:" + r.redemptionId(), "reward-" + r.redemptionId()), false);
		if (moved instanceof Moved.Refused refusal) {
			return refuse(r, refusal.refusal());
		}
		Entry entry = ((Moved.Done) moved).entry();
		boolean[] mine = new boolean[1]; // whether this request completed it (every copy's answer but one is replayed)
		Redemption done = step(r, x -> {
			mine[0] = "CLAIMED".equals(x.state());
			return mine[0] ? with(x, "REDEEMED", x.stockTaken(), x.stockReturned(), entry.availableAfter()) : x;
		});
		if (!mine[0] && !"REDEEMED".equals(done.state()) && !done.state().startsWith("REFUND")) {
			return resume(caller, done, fingerprint, source); // refused by a copy meanwhile: its answer
		}
		shelf.listFor(done.memberId(), done.redemptionId());
		noteDay(done.programId(), done.at(), "redeemed", done.redemptionId());
		announce(done, reward, reward != null && reward.lowStockAt() != null && left != null
				&& left.longValue() == reward.lowStockAt());
		return new Outcome.Done<>(done.view(), !mine[0]);
	}

	/** The redemption, and the reward's low stock when this redemption crossed it. */
	/**
	 * @param reward   as read for the redemption (null: removed since)
	 * @param lowStock whether this redemption left the reward at its low-stock mark
	 */
	private void announce(Redemption r, Reward reward, boolean lowStock) {
		String name = reward == null ? r.rewardId() : reward.name();
		events.publishEvent(new RewardRedeemed(new MemberId(r.memberId()), new ProgramId(r.programId()), r.redemptionId(),
				r.rewardId(), name, r.points(), r.code(), r.availableAfter(), r.at()));
		if (lowStock) {
			events.publishEvent(new RewardStockLow(new ProgramId(r.programId()), r.rewardId(), name, reward.lowStockAt(),
					reward.stock(), r.at()));
		}
	}

	/** Records the refusal first (a retry answers it), then gives back whatever was taken. */
	private Outcome<RewardRedemption> refuse(Redemption r, Refusal refusal) {
		Redemption refused = step(r, x -> "CLAIMED".equals(x.state()) ? new Redemption(x.redemptionId(), x.fingerprint(),
				x.programId(), x.rewardId(), x.memberId(), x.points(), x.code(), x.client(), x.at(), "REFUSED", refusal,
				x.stockTaken(), x.stockReturned(), 0, null, null, x.rev()) : x);
		if (!"REFUSED".equals(refused.state())) {
			return new Outcome.Done<>(refused.view(), true); // a copy redeemed it first
		}
		giveBack(refused);
		return new Outcome.Refused<>(refused.refusal());
	}

	/** The unit and the place back, each once. */
	private Redemption giveBack(Redemption r) {
		if (r.stockTaken() && !r.stockReturned()) {
			shelf.returnUnit(r.programId(), r.rewardId(), r.redemptionId(), r.code());
			r = step(r, x -> with(x, x.state(), x.stockTaken(), true, x.availableAfter()));
			shelf.forgetReturn(r.programId(), r.rewardId(), r.redemptionId());
		}
		else if (!r.stockTaken()) {
			shelf.releaseUnit(r.programId(), r.rewardId(), r.redemptionId()); // taken, not yet recorded
		}
		shelf.release(r.programId(), r.rewardId(), r.memberId(), r.redemptionId());
		return r;
	}

	/**
	 * Gives a redemption's points, unit and place back. Staff, or the integration client that
	 * redeemed it; once: a refunded redemption answers again {@code replayed}.
	 */
	@Transactional // its event is stored as it ends
	public Outcome<RewardRedemption> refund(Caller caller, String redemptionId, String reason) {
		if (reason == null || reason.isBlank()) {
			throw new InvalidPoints("reason", "A refund needs a reason (at most 300 characters)");
		}
		FreeText.check("reason", reason, 300); // the ledger's reason adds the reward and the redemption
		Optional<Redemption> found = redemptionId == null ? Optional.empty() : shelf.redemption(redemptionId);
		if (found.isEmpty() || "CLAIMED".equals(found.get().state()) || "REFUSED".equals(found.get().state())) {
			return refused(Refusal.Reason.NOT_FOUND, "There is no reward redemption '" + redemptionId + "'");
		}
		Redemption r = found.get();
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(r.programId()));
		if (outOfReach.isPresent()) {
			return new Outcome.Refused<>(outOfReach.get());
		}
		if (caller instanceof Caller.Member || caller instanceof Caller.IntegrationClient && !caller.key().equals(r.client())) {
			return refused(Refusal.Reason.FORBIDDEN, "A redemption is refunded by staff or by the client that redeemed it");
		}
		Lock turn = turns[Math.floorMod(redemptionId.hashCode(), LOCKS)];
		turn.lock();
		try {
			r = shelf.redemption(redemptionId).orElseThrow();
			if ("REFUNDED".equals(r.state())) {
				noteDay(r.programId(), r.refundedAt(), "refunded", r.redemptionId());
				if (r.refundedAt().isAfter(clock.instant().minus(ANNOUNCED_AGAIN_WITHIN))) {
					announceRefund(r);
				}
				return new Outcome.Done<>(r.view(), true);
			}
			if ("REDEEMED".equals(r.state())) {
				Instant at = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as stored
				r = step(r, x -> "REDEEMED".equals(x.state()) ? new Redemption(x.redemptionId(), x.fingerprint(),
						x.programId(), x.rewardId(), x.memberId(), x.points(), x.code(), x.client(), x.at(), "REFUNDING",
						null, x.stockTaken(), x.stockReturned(), x.availableAfter(), at, reason, x.rev()) : x);
			}
			Moved moved = desk.move(REFUNDS, new Movement.Adjust(r.memberId(), r.points(),
					"refund of reward " + r.rewardId() + " (" + r.redemptionId() + "): " + r.refundReason(),
					"reward-refund-" + r.redemptionId()), false);
			if (moved instanceof Moved.Refused refusal) {
				return new Outcome.Refused<>(refusal.refusal()); // the member is suspended: refund again once active
			}
			r = giveBack(r);
			Redemption refunded = step(r, x -> "REFUNDING".equals(x.state()) ? with(x, "REFUNDED", x.stockTaken(),
					x.stockReturned(), x.availableAfter()) : x);
			noteDay(refunded.programId(), refunded.refundedAt(), "refunded", refunded.redemptionId());
			announceRefund(refunded);
			return new Outcome.Done<>(refunded.view(), false);
		}
		finally {
			turn.unlock();
		}
	}

	/** The program's day (in its time zone) of {@code at}, noted for the reward report. */
	private void noteDay(String programId, Instant at, String kind, String redemptionId) {
		java.time.ZoneId zone = rules.rules(programId).map(PointRules::timeZone).orElse(java.time.ZoneOffset.UTC);
		shelf.noteDay(programId, at.atZone(zone).toLocalDate(), kind, redemptionId);
	}

	/** One reward's figures over a report's range: redeemed on its days, refunded on its days. */
	public record RewardFigures(String rewardId, String name, int redemptions, long pointsSpent, int refunds,
			long pointsRefunded, Long remaining) {
	}

	/** A program's rewards over a range of days, the most redeemed first. */
	public record Report(String programId, java.time.LocalDate from, java.time.LocalDate to, int redemptions,
			long pointsSpent, int refunds, long pointsRefunded, List<RewardFigures> rewards) {
	}

	/** The program's reward figures over {@code from}..{@code to} (its days); empty when the program is unknown. */
	public Optional<Report> report(Caller caller, String programId, java.time.LocalDate from, java.time.LocalDate to) {
		if (from == null || to == null || to.isBefore(from) || from.plusDays(365).isBefore(to)) {
			throw new InvalidPoints("to", "A reward report covers 1 to 366 days, from before to");
		}
		if (rules.rules(caller, programId).isEmpty()) {
			return Optional.empty();
		}
		List<java.time.LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
		java.util.Map<String, RewardShelf.Shelved> catalog = new java.util.HashMap<>();
		shelf.rewards(programId).forEach(s -> catalog.put(s.reward().rewardId(), s));
		java.util.Map<String, long[]> byReward = new java.util.TreeMap<>(); // redemptions, points, refunds, points back
		shelf.noted(programId, days, "redeemed").forEach(r -> {
			long[] f = byReward.computeIfAbsent(r.rewardId(), k -> new long[4]);
			f[0]++;
			f[1] += r.points();
		});
		shelf.noted(programId, days, "refunded").forEach(r -> {
			long[] f = byReward.computeIfAbsent(r.rewardId(), k -> new long[4]);
			f[2]++;
			f[3] += r.points();
		});
		List<RewardFigures> figures = byReward.entrySet().stream().map(e -> {
			RewardShelf.Shelved s = catalog.get(e.getKey());
			long[] f = e.getValue();
			return new RewardFigures(e.getKey(), s == null ? e.getKey() : s.reward().name(), (int) f[0], f[1], (int) f[2],
					f[3], s == null ? null : s.remaining());
		}).sorted(java.util.Comparator.comparingInt(RewardFigures::redemptions).reversed()
				.thenComparing(RewardFigures::rewardId)).toList();
		return Optional.of(new Report(programId, from, to, figures.stream().mapToInt(RewardFigures::redemptions).sum(),
				figures.stream().mapToLong(RewardFigures::pointsSpent).sum(),
				figures.stream().mapToInt(RewardFigures::refunds).sum(),
				figures.stream().mapToLong(RewardFigures::pointsRefunded).sum(), figures));
	}

	private void announceRefund(Redemption r) {
		events.publishEvent(new RewardRefunded(new MemberId(r.memberId()), new ProgramId(r.programId()), r.redemptionId(),
				r.rewardId(), r.points(), r.refundReason(), r.refundedAt()));
	}

	/** The member's reward redemptions, newest first; who may read them is the caller's to check. */
	public List<RewardRedemption> redemptionsOf(MemberId member) {
		return shelf.redemptionsOf(member.value()).stream().map(Redemption::view).toList();
	}

	/** Applies {@code change} to the stored redemption under its revision, reading it again when raced. */
	private Redemption step(Redemption r, UnaryOperator<Redemption> change) {
		for (int attempt = 0; attempt < 16; attempt++) {
			Redemption next = change.apply(r);
			if (next == r || next.equals(r)) {
				return r;
			}
			if (shelf.advance(next)) {
				return with(next, next.state(), next.stockTaken(), next.stockReturned(), next.availableAfter(), next.rev() + 1);
			}
			r = shelf.redemption(r.redemptionId()).orElseThrow();
		}
		throw new IllegalStateException("Redemption " + r.redemptionId() + " changed 16 times in a row; try again");
	}

	private static Redemption withCode(Redemption x, String code) {
		return new Redemption(x.redemptionId(), x.fingerprint(), x.programId(), x.rewardId(), x.memberId(), x.points(),
				code, x.client(), x.at(), x.state(), x.refusal(), x.stockTaken(), x.stockReturned(), x.availableAfter(),
				x.refundedAt(), x.refundReason(), x.rev());
	}

	private static Redemption with(Redemption x, String state, boolean stockTaken, boolean stockReturned, long availableAfter) {
		return with(x, state, stockTaken, stockReturned, availableAfter, x.rev());
	}

	private static Redemption with(Redemption x, String state, boolean stockTaken, boolean stockReturned,
			long availableAfter, long rev) {
		return new Redemption(x.redemptionId(), x.fingerprint(), x.programId(), x.rewardId(), x.memberId(), x.points(),
				x.code(), x.client(), x.at(), state, x.refusal(), stockTaken, stockReturned, availableAfter, x.refundedAt(),
				x.refundReason(), rev);
	}

	/** 16 letters and digits without look-alikes (0/O, 1/I), in groups of four: 80 random bits. */
	private String code() {
		StringBuilder code = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			if (i > 0 && i % 4 == 0) {
				code.append('-');
			}
			code.append(CODE_LETTERS.charAt(random.nextInt(CODE_LETTERS.length())));
		}
		return code.toString();
	}

	private static void requireKey(String key) {
		if (key == null || !key.matches("[A-Za-z0-9._:-]{8,128}")) {
			throw new InvalidPoints("idempotencyKey", "idempotencyKey is 8 to 128 letters, digits or . _ : -");
		}
	}

	private static <T> Outcome<T> refused(Refusal.Reason reason, String message) {
		return new Outcome.Refused<>(new Refusal(reason, message));
	}
}
