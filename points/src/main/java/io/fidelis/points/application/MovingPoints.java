package io.fidelis.points.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.application.AccountStore.Stored;
import io.fidelis.points.application.RequestLog.Claim;
import io.fidelis.points.application.RequestLog.Result;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.FreeText;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.PointRules;
import io.fidelis.points.domain.Points;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.PointsAccount.Change;
import io.fidelis.points.domain.PointsAccount.Context;
import io.fidelis.points.domain.PointsAccount.Outcome;
import io.fidelis.points.domain.Refusal;
import io.fidelis.points.domain.Source;

/**
 * Earning, redeeming, adjusting, reversing and transferring points: each applied at most once
 * per idempotency key, and never on a stale balance.
 *
 * <p>Writes before the answer, each safe to repeat: claim the key (the one write that spans
 * documents: a key is unique per caller, whichever account it names); change the account with
 * one conditional write that also journals the entries. The answer goes out then; settling
 * (history, events, the key's result, dropping the journal) follows in batches of many accounts
 * ({@link SettlingAccounts}). A transfer settles before its answer, so the receiver is credited
 * when the payer hears back. A crash anywhere leaves either nothing applied (the retry applies
 * it) or a journal that is settled after restart, by the batch or by the next request.
 */
@Service
public class MovingPoints {

	static final int MAX_ATTEMPTS = 64;
	private static final int TURNS = 1024;
	/** Past this many unsettled entries a request settles its account's journal before changing it. */
	static final int JOURNAL_LIMIT = 32;
	/** Journalled entries this old were not left for this node's settling: a request queues them. */
	static final Duration LEFTOVER_AGE = Duration.ofSeconds(5);

	/**
	 * Changes to one account take turns on this node, so a hot account is not fought over by
	 * optimistic retries; across nodes the conditional write still decides.
	 */
	private final Lock[] turns = new Lock[TURNS];

	{
		for (int i = 0; i < turns.length; i++) {
			turns[i] = new ReentrantLock();
		}
	}
	private static final String SYSTEM = "system:points";

	private final AccountStore accounts;
	private final RequestLog requests;
	private final SettingRules rules;
	private final MemberDirectory directory;
	private final Clock clock;
	private final SettlingAccounts settling;
	private final OpeningAccounts opening;

	private final PointsFigures figures;

	MovingPoints(AccountStore accounts, RequestLog requests, SettingRules rules, MemberDirectory directory, Clock clock,
			SettlingAccounts settling, OpeningAccounts opening, PointsFigures figures) {
		this.figures = figures;
		this.accounts = accounts;
		this.requests = requests;
		this.rules = rules;
		this.directory = directory;
		this.clock = clock;
		this.settling = settling;
		this.opening = opening;
	}

	/** What a client asks for. Each carries the caller's idempotency key. */
	public sealed interface Movement {
		String memberId();

		String idempotencyKey();

		/**
		 * @param points explicit points, or null to convert {@code amount} in {@code currency}
		 */
		record Earn(String memberId, Long points, BigDecimal amount, String currency, Source source,
				String transaction, String idempotencyKey, BigDecimal spent) implements Movement {

			public Earn(String memberId, Long points, BigDecimal amount, String currency, Source source,
					String transaction, String idempotencyKey) {
				this(memberId, points, amount, currency, source, transaction, idempotencyKey, null);
			}
		}

		record Redeem(String memberId, long points, Source source, String reason, String transaction,
				String idempotencyKey) implements Movement {
		}

		record Adjust(String memberId, long points, String reason, String idempotencyKey) implements Movement {
			public Adjust {
				if (reason == null || reason.isBlank() || reason.length() > FreeText.REASON) {
					throw new InvalidPoints("reason", "An adjustment needs a reason (at most 500 characters)");
				}
				FreeText.check("reason", reason, FreeText.REASON);
			}
		}

		/**
		 * A referral's bonus to one side: {@code memberId} is paid for the enrollment of
		 * {@code refereeId} (themselves, for the friend's own bonus). Only Fidelis moves these.
		 */
		record ReferralBonus(String memberId, long points, String refereeId, String idempotencyKey) implements Movement {
		}

		/** @param source where the reversal happened (a return at a store or partner); null when not said */
		record Reverse(String memberId, String transaction, Long points, String reason, String idempotencyKey,
				Source source) implements Movement {

			public Reverse(String memberId, String transaction, Long points, String reason, String idempotencyKey) {
				this(memberId, transaction, points, reason, idempotencyKey, null);
			}
		}

		record Transfer(String memberId, String toMemberId, long points, String reason, String idempotencyKey)
				implements Movement {
		}
	}

	public sealed interface Moved {
		/** @param entry the entry the request wrote; balances after it are on the entry */
		record Done(Entry entry, boolean replayed, boolean dryRun) implements Moved {
		}

		record Refused(Refusal refusal) implements Moved {
		}
	}

	@Transactional
	public Moved move(Caller caller, Movement movement, boolean dryRun) {
		return move(caller, movement, dryRun, false);
	}

	/**
	 * As {@link #move(Caller, Movement, boolean)}; {@code foundActive} when the caller has just read
	 * the member's status itself (a purchase identifies its member first), so it is not read twice.
	 * Neither read is atomic with the account's write, so a suspension a moment earlier is seen alike.
	 */
	Moved move(Caller caller, Movement movement, boolean dryRun, boolean foundActive) {
		validate(movement);
		Optional<Stored> found = accountOf(movement.memberId());
		if (found.isEmpty()) {
			return refused(Refusal.Reason.NOT_FOUND, "There is no member '" + movement.memberId() + "'");
		}
		PointsAccount account = found.get().account();
		Admission admission = admit(caller, movement, account,
				() -> foundActive || directory.isActive(new MemberId(movement.memberId())));
		if (admission.refusal() != null) {
			return new Moved.Refused(admission.refusal());
		}
		PointRules programRules = admission.rules();
		if (movement instanceof Movement.Transfer transfer) {
			Optional<Refusal> receiver = receiverRefusal(transfer, account.programId());
			if (receiver.isPresent()) {
				return new Moved.Refused(receiver.get());
			}
		}
		if (dryRun) {
			Outcome outcome = decide(caller, movement, account, programRules, context(caller, movement, null));
			return outcome instanceof Outcome.Applied applied ? new Moved.Done(applied.change().last(), false, true)
					: new Moved.Refused(((Outcome.Refused) outcome).refusal());
		}

		String key = caller.key() + "|" + movement.idempotencyKey();
		Claim claim = requests.claim(key, fingerprint(movement), movement.memberId(), account.version());
		if (!sameRequest(claim.fingerprint(), movement)) {
			return refused(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, "The idempotency key '" + movement.idempotencyKey()
					+ "' was already used for a different request");
		}
		if (claim.result() != null) {
			return replay(claim);
		}
		// the account read above serves the first attempt: the conditional write refuses it if anything changed since
		return applyOnce(key, movement.memberId(), movement instanceof Movement.Transfer, claim, found.get(),
				stored -> decide(caller, movement, stored.account(), programRules, context(caller, movement, key)));
	}

	/**
	 * How one request taken with others went ({@link #moveTogether}): its answer, or the failure of
	 * the write that may have applied it (the caller hears it and retries with its key, as after a
	 * failed {@link #move}); neither when the request must go {@link #move alone}.
	 */
	public record Together(Moved moved, RuntimeException failure) {
		static final Together ALONE = new Together(null, null);

		public boolean alone() {
			return moved == null && failure == null;
		}
	}

	/**
	 * Applies many valid requests ({@link #validate}), none a transfer, each to another member's
	 * account, with four commands for all of them: one read of their accounts, one of the members'
	 * statuses, one insert of the keys' claims and one conditional write of the accounts. Answers
	 * each what {@link #move} would have: the same checks in the same order, the same claim before
	 * the account's write, the same entry. What is not the plain first attempt of a request goes
	 * alone, with nothing of it written: a key held already (a retry, a copy, a reused key), a
	 * refusal that must be recorded on the key, an account that moved on since it was read, one
	 * that is busy on this node, not open yet or with a long journal.
	 *
	 * <p>No transaction spans the batch: each of its writes is safe to repeat, as {@link #move}'s are.
	 */
	public List<Together> moveTogether(List<Caller> callers, List<Movement> movements) {
		return moveTogether(callers, movements, java.util.Collections.nCopies(movements.size(), null));
	}

	/** As {@link #moveTogether(List, List)}; {@code origins} are the requests' traces (null: none), settled in them. */
	public List<Together> moveTogether(List<Caller> callers, List<Movement> movements, List<Object> origins) {
		return moveTogether(callers, movements, origins, java.util.Collections.nCopies(movements.size(), false));
	}

	/**
	 * As {@link #moveTogether(List, List, List)}; {@code foundActive} per request as in
	 * {@link #move(Caller, Movement, boolean, boolean)}: the statuses of the others are read in one
	 * read, and when every request's caller has read its member's already, none is.
	 */
	List<Together> moveTogether(List<Caller> callers, List<Movement> movements, List<Object> origins,
			List<Boolean> foundActive) {
		Together[] answers = new Together[movements.size()];
		java.util.Arrays.fill(answers, Together.ALONE);
		Map<String, Integer> taken = new java.util.LinkedHashMap<>();
		List<Lock> held = new ArrayList<>();
		try {
			for (int i = 0; i < movements.size(); i++) {
				Movement movement = movements.get(i);
				if (movement instanceof Movement.Transfer || taken.containsKey(movement.memberId())) {
					continue;
				}
				Lock turn = turns[stripe(movement.memberId())];
				if (turn.tryLock()) { // a turn held elsewhere on this node: that request's change comes first
					held.add(turn);
					taken.put(movement.memberId(), i);
				}
			}
			applyTogether(callers, movements, origins, foundActive, taken, answers);
		}
		finally {
			held.forEach(Lock::unlock);
		}
		return List.of(answers);
	}

	private void applyTogether(List<Caller> callers, List<Movement> movements, List<Object> origins,
			List<Boolean> foundActive, Map<String, Integer> taken, Together[] answers) {
		if (taken.isEmpty()) {
			return;
		}
		Map<String, Stored> found = accounts.findStored(taken.keySet());
		List<MemberId> unread = found.keySet().stream().filter(m -> !foundActive.get(taken.get(m))).map(MemberId::new)
				.toList();
		Set<MemberId> active = unread.isEmpty() ? Set.of() : directory.activeAmong(unread);
		List<Integer> changing = new ArrayList<>();
		List<Claim> claims = new ArrayList<>();
		List<AccountStore.Write> writes = new ArrayList<>();
		List<Change> changes = new ArrayList<>();
		Instant leftoverBefore = clock.instant().minus(LEFTOVER_AGE);
		for (int i : taken.values()) {
			Caller caller = callers.get(i);
			Movement movement = movements.get(i);
			Stored stored = found.get(movement.memberId());
			if (stored == null) {
				continue; // opened on the way alone
			}
			PointsAccount account = stored.account();
			Admission admission = admit(caller, movement, account,
					() -> foundActive.get(i) || active.contains(new MemberId(movement.memberId())));
			if (admission.refusal() != null) {
				answers[i] = new Together(new Moved.Refused(admission.refusal()), null);
				continue;
			}
			PointRules programRules = admission.rules();
			String key = caller.key() + "|" + movement.idempotencyKey();
			if (stored.journal().size() >= JOURNAL_LIMIT || stored.journal().stream().anyMatch(e -> key.equals(e.request()))) {
				continue; // a long journal is settled first, and a copy of this request is in it: alone
			}
			if (!stored.journal().isEmpty() && stored.journal().get(0).at().isBefore(leftoverBefore)) {
				settling.owe(movement.memberId()); // left by a crash, an outage or another node that stopped
			}
			Outcome outcome;
			try {
				outcome = decide(caller, movement, account, programRules, context(caller, movement, key));
			}
			catch (RuntimeException e) {
				continue; // alone, it meets the same trouble and tells it
			}
			if (!(outcome instanceof Outcome.Applied applied)) {
				continue; // a refusal is recorded on the claimed key: alone
			}
			changing.add(i);
			claims.add(new Claim(key, fingerprint(movement), movement.memberId(), null, account.version(), true));
			writes.add(new AccountStore.Write(account.version(), applied.change().account(), applied.change().entries()));
			changes.add(applied.change());
		}
		if (changing.isEmpty()) {
			return;
		}
		List<Boolean> claimed;
		try {
			claimed = requests.claimAll(claims);
		}
		catch (RuntimeException e) {
			return; // nothing of theirs was applied: each goes alone and meets its own outcome
		}
		List<Integer> claiming = new ArrayList<>();
		for (int c = 0; c < changing.size(); c++) {
			if (claimed.get(c)) {
				claiming.add(c);
			}
		}
		if (claiming.isEmpty()) {
			return;
		}
		List<Boolean> made;
		try {
			made = accounts.applyAll(claiming.stream().map(writes::get).toList());
		}
		catch (RuntimeException e) {
			// any of them may be applied: as when move's write fails, its caller hears it and retries with its key
			claiming.forEach(c -> answers[changing.get(c)] = new Together(null, e));
			return;
		}
		for (int w = 0; w < claiming.size(); w++) {
			int c = claiming.get(w);
			if (made.get(w)) {
				figures.applied(changes.get(c));
				settling.owe(movements.get(changing.get(c)).memberId(), origins.get(changing.get(c)));
				answers[changing.get(c)] = new Together(new Moved.Done(changes.get(c).last(), false, false), null);
			}
			// else another node changed the account first: alone, the request finds its claim and goes on
		}
	}

	/** The rules to decide by, or the refusal met first ({@link #admit}). */
	private record Admission(PointRules rules, Refusal refusal) {
	}

	/**
	 * The checks a movement meets before its key is claimed, in this order, alone and in a batch
	 * alike: the caller's reach, the member's status, the program's rules, the caller's right to this
	 * kind of movement.
	 *
	 * @param active whether the member is active, asked only once the caller may reach the program
	 */
	private Admission admit(Caller caller, Movement movement, PointsAccount account, java.util.function.BooleanSupplier active) {
		Optional<Refusal> outOfReach = ProgramReach.refusal(caller, new ProgramId(account.programId()));
		if (outOfReach.isPresent()) {
			return new Admission(null, outOfReach.get());
		}
		if (!active.getAsBoolean()) {
			return new Admission(null, new Refusal(Refusal.Reason.CONFLICT, "Member '" + movement.memberId()
					+ "' is suspended or closed; points cannot move"));
		}
		Optional<PointRules> programRules = rules.rules(account.programId());
		if (programRules.isEmpty()) {
			return new Admission(null, new Refusal(Refusal.Reason.NOT_FOUND,
					"Program '" + account.programId() + "' has no point rules yet"));
		}
		return mayMove(caller, movement, programRules.get()).map(forbidden -> new Admission(null, forbidden))
				.orElseGet(() -> new Admission(programRules.get(), null));
	}

	/** Catch-up work for one account (activation, expiry) and settling of whatever it still owes. */
	@Transactional
	public void catchUp(String memberId) {
		applyOnce(SYSTEM + "|catch-up", memberId, true, null, null, stored -> {
			Change change = stored.account().catchUp(clock.instant());
			return change.entries().isEmpty() ? null : new Outcome.Applied(change);
		});
	}

	/**
	 * Settles a batch of accounts whose changes were answered before they were settled (see
	 * {@link SettlingAccounts}), waiting up to {@code wait} for the first; returns how many
	 * accounts it took. It takes no turns: requests on those accounts go on meanwhile (holding
	 * the turns of a whole batch made them wait for its writes). Should a request settle the same
	 * journal at the same moment (a transfer, a long journal), each step is done twice, which
	 * changes nothing.
	 */
	public int settleOwed(int max, Duration wait) throws InterruptedException {
		return settleOwed(max, wait, Duration.ZERO);
	}

	/** As {@link #settleOwed(int, Duration)}, a batch gathering for up to {@code gather} once its first account is owed. */
	public int settleOwed(int max, Duration wait, Duration gather) throws InterruptedException {
		List<String> members = settling.takeOwed(max, wait, gather);
		if (members.isEmpty()) {
			return 0;
		}
		Map<String, List<Entry>> transfers;
		try {
			transfers = settling.traced(members, () -> settling.settle(members));
		}
		catch (RuntimeException e) {
			members.forEach(settling::owe); // still journalled: the next batch tries again
			throw e;
		}
		transfers.forEach(this::completeTransfers);
		return members.size();
	}

	/**
	 * @param settleNow settle before answering (transfers, whose receiver is credited before the
	 *        answer, and catch-up); otherwise the change is answered once written and settled in a batch
	 */
	private Moved applyOnce(String key, String memberId, boolean settleNow, Claim claim, Stored read,
			Function<Stored, Outcome> decision) {
		List<Entry> transfers = new ArrayList<>();
		Moved moved = applyTakingTurn(key, memberId, settleNow, claim, read, decision, transfers);
		// the receiver's turn is taken only after the payer's is released: no two turns held at once
		completeTransfers(memberId, transfers);
		return moved;
	}

	/** As {@link #applyOnce}, leaving the transfers out that settling found in {@code transfers}. */
	private Moved applyTakingTurn(String key, String memberId, boolean settleNow, Claim claim, Stored read,
			Function<Stored, Outcome> decision, List<Entry> transfers) {
		Lock turn = turns[stripe(memberId)];
		turn.lock();
		try {
			return applyInTurn(key, memberId, settleNow, claim, read, decision, transfers);
		}
		finally {
			turn.unlock();
		}
	}

	/**
	 * @param claim the key's claim; when this call inserted it no copy of the request can have been
	 *              applied, so there is no earlier outcome to look for. Null for work of the
	 *              clockwork, which names no request
	 * @param read  the account as the caller read it before taking the turn, for the first attempt
	 *              (null: read it now)
	 */
	private Moved applyInTurn(String key, String memberId, boolean settleNow, Claim claim, Stored read,
			Function<Stored, Outcome> decision, List<Entry> transfers) {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			Stored stored = attempt == 0 && read != null ? read : accounts.find(memberId).orElseThrow();
			Optional<Entry> already = stored.journal().stream().filter(e -> key.equals(e.request())).findFirst();
			if (settleNow || stored.journal().size() >= JOURNAL_LIMIT) {
				// the journal rides in the account document: past a bound, settle it here rather than let it grow
				transfers.addAll(settled(settling.settleStored(List.of(stored))));
			}
			else if (!stored.journal().isEmpty()
					&& stored.journal().get(0).at().isBefore(clock.instant().minus(LEFTOVER_AGE))) {
				settling.owe(memberId); // left by a crash, an outage or another node that stopped
			}
			if (already.isPresent()) {
				return new Moved.Done(already.get(), true, false);
			}
			// A copy of the request that found this call's claim in place may have been applied since the
			// claim, and settled out of the journal: look for its entry unless every entry since the
			// version read before the claim is still in the journal (looked through just above), which
			// holds on an uncontended first attempt and on most retries.
			if (claim != null && (!claim.inserted() || !journalHoldsAllSince(stored, claim.from()))) {
				// on the first attempt with the caller's account a claim found in place, read after it, is what the key holds
				boolean keyReadSince = !claim.inserted() && attempt == 0 && read != null;
				Optional<Moved> earlier = earlierOutcome(key, memberId, claim.from(), stored.account().version(),
						!keyReadSince);
				if (earlier.isPresent()) {
					return earlier.get();
				}
			}
			Outcome outcome = decision.apply(stored);
			if (outcome == null) {
				return null; // nothing to do
			}
			if (outcome instanceof Outcome.Refused refused) {
				requests.recordRefusal(key, new Result(0, refused.refusal().reason().name(), refused.refusal().message()));
				return new Moved.Refused(refused.refusal());
			}
			Change change = ((Outcome.Applied) outcome).change();
			if (accounts.apply(stored.account().version(), change.account(), change.entries())) {
				figures.applied(change);
				// the change and its entries are durable in one write: the answer need not wait for the rest
				if (settleNow) {
					transfers.addAll(settled(settling.settleStored(List.of(new Stored(change.account(), change.entries())))));
				}
				else {
					oweOnceCommitted(memberId);
				}
				return new Moved.Done(change.last(), false, false);
			}
			// another change to this account came first: decide again on what it left
		}
		return refused(Refusal.Reason.CONFLICT, "The account is too busy right now; retry with the same key");
	}

	/** Whether the journal still holds every entry after version {@code from} (none settled out since). */
	private static boolean journalHoldsAllSince(Stored stored, long from) {
		long since = stored.journal().stream().filter(e -> e.sequence() > from).count();
		return since == stored.account().version() - from;
	}

	/**
	 * What a copy of this request already came to, if it came to anything: a refusal recorded on
	 * the key, or its entry among those settled into the history since the key was claimed. Read
	 * after the account, whose journal was looked at first: settling writes the history before it
	 * drops an entry from the journal, so an entry at or below the version read is in one of the
	 * two. An entry above it is found by the conditional write failing and the next attempt.
	 *
	 * @param readKey read the key again for a refusal; not when the claim was read after the account
	 */
	private Optional<Moved> earlierOutcome(String key, String memberId, long from, long upTo, boolean readKey) {
		Optional<Claim> decided = readKey ? requests.find(key).filter(c -> c.result() != null) : Optional.empty();
		if (decided.isPresent()) {
			return Optional.of(replay(decided.get()));
		}
		return accounts.entryOfRequest(memberId, key, from, upTo).map(e -> new Moved.Done(e, true, false));
	}

	/**
	 * Queues the account for settling: at once outside a transaction, when the transaction
	 * completes inside one (a caller's, such as a purchase or an offer's listener).
	 * After a rollback there may be nothing to settle, which the relay finds out cheaply.
	 */
	private void oweOnceCommitted(String memberId) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			settling.owe(memberId);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				settling.owe(memberId);
			}
		});
	}

	private static List<Entry> settled(Map<String, List<Entry>> transfers) {
		return transfers.values().stream().flatMap(List::stream).toList();
	}

	private static int stripe(String memberId) {
		return Math.floorMod(memberId.hashCode(), TURNS);
	}

	private void completeTransfers(String payer, List<Entry> transfers) {
		for (Entry out : transfers) {
			String key = SYSTEM + "|transfer|" + payer + "|" + out.sequence();
			String receiver = out.counterpart();
			// the receiver's version before the claim bounds where a copy's credit can be in its history
			long from = accounts.find(receiver).map(s -> s.account().version()).orElse(0L);
			Claim claim = requests.claim(key, key, receiver, from);
			if (claim.result() == null) {
				PointsAccount payerAccount = accounts.find(payer).orElseThrow().account();
				PointRules programRules = rules.rules(payerAccount.programId()).orElseThrow();
				List<Entry> receiversOwn = new ArrayList<>();
				applyTakingTurn(key, receiver, true, claim, null, stored -> new Outcome.Applied(stored.account()
						.transferIn(-out.availableDelta(), payer, programRules,
								new Context(out.at(), null, out.transaction(), out.reason(), key, null, SYSTEM))),
						receiversOwn);
				if (!receiversOwn.isEmpty()) {
					// the receiver's own transfers out are completed by their requests or the relay, never
					// from here: two members paying each other at once would chain completions without end
					settling.owe(receiver);
				}
			}
			accounts.forget(Map.of(payer, List.of(out)));
		}
	}

	private Outcome decide(Caller caller, Movement movement, PointsAccount account, PointRules rules, Context context) {
		if (movement instanceof Movement.Earn earn) {
			long points = earn.points() != null ? earn.points() : rules.rateFor(earn.currency())
					.orElseThrow(() -> new InvalidPoints("currency", "This program does not earn points in "
							+ earn.currency() + "; it earns in " + String.join(", ", rules.earnRates().keySet())))
					.pointsFor(earn.amount());
			if (points == 0) {
				return new Outcome.Refused(new Refusal(Refusal.Reason.VALIDATION,
						"That amount earns no points at this program's rate"));
			}
			return account.earn(points, rules, context);
		}
		if (movement instanceof Movement.Redeem redeem) {
			return account.redeem(redeem.points(), rules, context);
		}
		if (movement instanceof Movement.Adjust adjust) {
			return account.adjust(adjust.points(), rules, context);
		}
		if (movement instanceof Movement.ReferralBonus bonus) {
			return account.referralBonus(bonus.points(), rules, context);
		}
		if (movement instanceof Movement.Reverse reverse) {
			// a client takes back only what it recorded; staff take back any purchase
			return account.reverse(reverse.transaction(), reverse.points(), rules, context,
					caller instanceof Caller.IntegrationClient ? caller.key() : null);
		}
		Movement.Transfer transfer = (Movement.Transfer) movement;
		return account.transferOut(transfer.points(), transfer.toMemberId(), context);
	}

	/** Every movement names its caller: whatever it credits (an earn, a staff adjustment) is theirs to take back. */
	private Context context(Caller caller, Movement movement, String key) {
		Instant now = clock.instant();
		if (movement instanceof Movement.Earn earn) {
			// a purchase's points are worked out from its lines; the money spent still counts (tiers)
			BigDecimal spent = earn.amount() != null ? earn.amount() : earn.spent();
			return new Context(now, earn.source(), earn.transaction(), null, key,
					spent == null || spent.signum() == 0 ? null : new io.fidelis.points.domain.Spend(spent, earn.currency()),
					caller.key());
		}
		if (movement instanceof Movement.Redeem redeem) {
			return new Context(now, redeem.source(), redeem.transaction(), redeem.reason(), key, null, caller.key());
		}
		if (movement instanceof Movement.Adjust adjust) {
			return new Context(now, null, "adjustment:" + caller.key(), adjust.reason(), key, null, caller.key());
		}
		if (movement instanceof Movement.ReferralBonus bonus) {
			return new Context(now, null, "referral:" + bonus.refereeId(), "referral", key, null, caller.key());
		}
		if (movement instanceof Movement.Reverse reverse) {
			return new Context(now, reverse.source(), reverse.transaction(), reverse.reason(), key, null, caller.key());
		}
		Movement.Transfer transfer = (Movement.Transfer) movement;
		return new Context(now, null, "transfer:" + movement.idempotencyKey(), transfer.reason(), key, null, caller.key());
	}

	private Optional<Refusal> mayMove(Caller caller, Movement movement, PointRules programRules) {
		if (!(caller instanceof Caller.Member self)) {
			return Optional.empty(); // roles and scopes were checked at the door
		}
		if (!directory.isSelf(self, new MemberId(movement.memberId()))) {
			return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, "Members may only move their own points"));
		}
		if (movement instanceof Movement.Redeem && !programRules.membersMayRedeem()) {
			return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN,
					"In this program points are redeemed at the till or online, not by members themselves"));
		}
		if (!(movement instanceof Movement.Redeem) && !(movement instanceof Movement.Transfer)) {
			return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, "Members may only redeem or transfer their points"));
		}
		return Optional.empty();
	}

	private Optional<Refusal> receiverRefusal(Movement.Transfer transfer, String programId) {
		Optional<ProgramId> program = directory.programOf(new MemberId(transfer.toMemberId()));
		if (program.isEmpty()) {
			return Optional.of(new Refusal(Refusal.Reason.NOT_FOUND, "There is no member '" + transfer.toMemberId() + "'"));
		}
		if (!program.get().value().equals(programId)) {
			return Optional.of(new Refusal(Refusal.Reason.VALIDATION, "Points move only between members of one program"));
		}
		if (!directory.isActive(new MemberId(transfer.toMemberId()))) {
			return Optional.of(new Refusal(Refusal.Reason.CONFLICT, "The receiving member is suspended or closed"));
		}
		if (accounts.find(transfer.toMemberId()).isEmpty()) {
			opening.open(new MemberId(transfer.toMemberId()), program.get());
		}
		return Optional.empty();
	}

	/** The account, opened on the spot when the member exists but their MemberEnrolled is still on its way. */
	private Optional<Stored> accountOf(String memberId) {
		Optional<Stored> stored = accounts.find(memberId);
		if (stored.isPresent()) {
			return stored;
		}
		Optional<ProgramId> program = directory.programOf(new MemberId(memberId));
		if (program.isEmpty()) {
			return Optional.empty();
		}
		opening.open(new MemberId(memberId), program.get());
		return accounts.find(memberId);
	}

	private Moved replay(Claim claim) {
		Result result = claim.result();
		if (result.refused()) {
			return new Moved.Refused(new Refusal(Refusal.Reason.valueOf(result.refusalReason()), result.refusalMessage()));
		}
		Entry entry = accounts.entry(claim.memberId(), result.sequence()).orElseThrow(
				() -> new IllegalStateException("Entry " + result.sequence() + " of " + claim.memberId() + " is missing"));
		return new Moved.Done(entry, true, false);
	}

	/** Bad input is told at once, before anything is read or written. */
	static void validate(Movement movement) {
		if (movement.memberId() == null || movement.memberId().isBlank()) {
			throw new InvalidPoints("memberId", "memberId must not be blank");
		}
		String key = movement.idempotencyKey();
		if (key == null || !key.matches("[A-Za-z0-9._:-]{8,128}")) {
			throw new InvalidPoints("idempotencyKey",
					"idempotencyKey must be 8 to 128 letters, digits or . _ : - (a UUID works well)");
		}
		if (movement instanceof Movement.Earn earn) {
			if ((earn.points() == null) == (earn.amount() == null)) {
				throw new InvalidPoints("points", "Give either points or a money amount with its currency");
			}
			if (earn.points() != null) {
				Points.requirePositive("points", earn.points());
			}
			if (earn.amount() != null) {
				if (earn.amount().signum() <= 0 || earn.amount().scale() > 4
						|| earn.amount().compareTo(new BigDecimal("1000000000")) > 0) {
					throw new InvalidPoints("amount", "amount is a positive sum of money, at most 1000000000, with at most 4 decimals");
				}
				if (earn.currency() == null || !earn.currency().matches("[A-Z]{3}")) {
					throw new InvalidPoints("currency", "currency is an ISO 4217 code such as EUR");
				}
			}
			requireTransaction(earn.transaction());
		}
		if (movement instanceof Movement.Reverse reverse) {
			requireTransaction(reverse.transaction());
			FreeText.check("reason", reverse.reason(), FreeText.REASON);
		}
		if (movement instanceof Movement.Redeem redeem) {
			FreeText.check("reason", redeem.reason(), FreeText.REASON);
			if (redeem.transaction() != null) {
				FreeText.check("transactionId", redeem.transaction(), 200);
			}
		}
		if (movement instanceof Movement.Transfer transfer) {
			FreeText.check("reason", transfer.reason(), FreeText.REASON);
		}
		if (movement instanceof Movement.ReferralBonus bonus) {
			Points.requirePositive("points", bonus.points());
		}
		if (movement instanceof Movement.Transfer transfer && (transfer.toMemberId() == null || transfer.toMemberId().isBlank())) {
			throw new InvalidPoints("toMemberId", "toMemberId must not be blank");
		}
	}

	private static void requireTransaction(String transaction) {
		if (transaction == null || transaction.isBlank() || transaction.length() > 200) {
			throw new InvalidPoints("transactionId", "transactionId (the receipt or order reference) is 1 to 200 characters");
		}
		FreeText.check("transactionId", transaction, 200);
	}

	/**
	 * The input exactly, letter case included: "Order-ABC-1" and "ORDER-ABC-1" are two receipts.
	 * Keys claimed before this was so carry a fingerprint of the lower-cased input; they are still
	 * recognised by it, so a retry across an upgrade replays rather than being refused.
	 */
	private static boolean sameRequest(String claimed, Movement movement) {
		return claimed.equals(fingerprint(movement)) || claimed.equals(io.fidelis.points.domain.Fingerprint.of(movement.toString().toLowerCase(Locale.ROOT)));
	}

	private static String fingerprint(Movement movement) {
		return io.fidelis.points.domain.Fingerprint.of(movement.toString());
	}

	private static Moved refused(Refusal.Reason reason, String message) {
		return new Moved.Refused(new Refusal(reason, message));
	}
}
