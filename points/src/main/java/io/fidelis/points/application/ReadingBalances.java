package io.fidelis.points.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.application.AccountStore.HistoryFilter;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;

/** Balances, points expiring soon and history, for callers allowed to see them. */
@Service
public class ReadingBalances implements io.fidelis.points.PointsBalances {

	/** How many history entries one page may look at to find its matches. */
	static final int SCAN_LIMIT = 2_000;

	private final AccountStore accounts;
	private final MemberDirectory directory;
	private final Clock clock;

	ReadingBalances(AccountStore accounts, MemberDirectory directory, Clock clock) {
		this.accounts = accounts;
		this.directory = directory;
		this.clock = clock;
	}

	/**
	 * Why {@code caller} may not read the balance and ledger of {@code member} of {@code program};
	 * empty when they may: the member themselves, staff, or a client with {@code points:read}, within
	 * the program boundary.
	 */
	public Optional<String> refusal(Caller caller, MemberId member, ProgramId program) {
		if (caller instanceof Caller.Member self) {
			return directory.isSelf(self, member) ? Optional.empty() : Optional.of("Members may only read their own points");
		}
		if (!caller.mayReach(program)) {
			return Optional.of(Caller.outOfReach(program));
		}
		if (caller instanceof Caller.IntegrationClient client && !client.scopes().contains("points:read")) {
			return Optional.of("Reading a member's points needs the points:read scope");
		}
		return Optional.empty();
	}

	/** {@link #refusal(Caller, MemberId, ProgramId)} when only the member is known: reads their program. */
	public Optional<String> refusal(Caller caller, MemberId member) {
		if (caller instanceof Caller.Member) {
			return refusal(caller, member, null);
		}
		return directory.programOf(member).map(program -> refusal(caller, member, program))
				.orElseGet(() -> Optional.of("There is no member '" + member + "'"));
	}

	/** The account as stored now; empty until it is opened. */
	public Optional<PointsAccount> account(MemberId member) {
		return accounts.find(member.value()).map(AccountStore.Stored::account);
	}

	@Override
	public Optional<Balance> balanceOf(MemberId member, int expiringWithinDays) {
		return account(member).map(account -> balance(account, expiringWithinDays));
	}

	/** One read for the whole batch. */
	@Override
	public Map<MemberId, Balance> balancesOf(Collection<MemberId> members, int expiringWithinDays) {
		Map<MemberId, Balance> found = new LinkedHashMap<>();
		Map<String, PointsAccount> read = accounts.findAll(members.stream().map(MemberId::value).toList());
		for (MemberId member : members) {
			PointsAccount account = read.get(member.value());
			if (account != null) {
				found.put(member, balance(account, expiringWithinDays));
			}
		}
		return found;
	}

	private Balance balance(PointsAccount account, int expiringWithinDays) {
		List<Expiring> expiring = expiringWithin(account, expiringWithinDays);
		return new Balance(account.available(), account.pending(), account.version(),
				expiring.stream().mapToLong(Expiring::points).sum(), expiring.isEmpty() ? null : expiring.get(0).expiresAt());
	}

	public Map<String, PointsAccount> accounts(Collection<String> memberIds) {
		return accounts.findAll(memberIds);
	}

	/** Points that will expire within {@code days}, per expiry date, soonest first. */
	public List<Expiring> expiringWithin(PointsAccount account, int days) {
		Instant now = clock.instant();
		Instant horizon = now.plus(Duration.ofDays(days));
		Map<Instant, Long> byDate = new TreeMap<>();
		for (Lot lot : account.lots()) {
			if (!lot.pending() && lot.remaining() > 0 && lot.expiresAt() != null && lot.expiresAt().isAfter(now)
					&& !lot.expiresAt().isAfter(horizon)) {
				byDate.merge(lot.expiresAt(), lot.remaining(), Long::sum);
			}
		}
		List<Expiring> expiring = new ArrayList<>();
		byDate.forEach((at, points) -> expiring.add(new Expiring(points, at)));
		return expiring;
	}

	public record Expiring(long points, Instant expiresAt) {
	}

	/** A page of history, newest first, before {@code beforeSequence} (or from the newest when null). */
	public AccountStore.HistoryPage history(PointsAccount account, Long beforeSequence, int first, HistoryFilter filter) {
		long before = beforeSequence == null ? account.version() + 1 : beforeSequence;
		return accounts.history(account.memberId(), before, first, SCAN_LIMIT, filter);
	}
}
