package io.fidelis.points.adapter.in.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberProfile;
import io.fidelis.points.application.AccountStore;
import io.fidelis.points.application.ReadingBalances;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.EntryType;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.PointsAccount;
import io.fidelis.points.domain.Refusal;
import reactor.core.publisher.Mono;

/**
 * {@code Member.points} (batched: a list of members costs one query) and the computed fields
 * of {@code PointsAccount} and {@code LedgerEntry}. Whoever could read the member may read
 * their points.
 */
@Controller
class PointsAccountFields {

	private final ReadingBalances balances;

	PointsAccountFields(ReadingBalances balances, BatchLoaderRegistry loaders) {
		this.balances = balances;
		// a list of members costs one read of their accounts
		loaders.forTypePair(String.class, PointsAccount.class).registerMappedBatchLoader(
				(ids, env) -> Mono.fromCallable(() -> balances.accounts(ids)));
	}

	/**
	 * Reading the member is not enough for an integration client: its balance and ledger need
	 * {@code points:read} too (the README's table). Checked here, per member, before the
	 * batched read, so that a refusal is answered as one.
	 */
	@SchemaMapping(typeName = "Member", field = "points")
	CompletableFuture<PointsAccount> points(MemberProfile member, DataLoader<String, PointsAccount> accounts,
			@AuthenticationPrincipal Caller caller) {
		Optional<String> refused = caller == null ? Optional.of("Reading a member's points needs a caller")
				: balances.refusal(caller, member.memberId(), member.programId());
		if (refused.isPresent()) {
			throw new Refused(new Refusal(Refusal.Reason.FORBIDDEN, refused.get()));
		}
		return accounts.load(member.memberId().value());
	}

	/** The member's id: one account per member, so a client cache keeps it as one object whoever fetched it. */
	@SchemaMapping(typeName = "PointsAccount", field = "id")
	String id(PointsAccount account) {
		return account.memberId();
	}

	@SchemaMapping(typeName = "PointsAccount")
	List<ReadingBalances.Expiring> expiringSoon(PointsAccount account, @Argument Integer days) {
		int within = days == null ? 30 : days;
		if (within < 1 || within > 3660) {
			throw new InvalidPoints("days", "days is 1 to 3660");
		}
		return balances.expiringWithin(account, within);
	}

	record LedgerEntryEdge(String cursor, Entry node) {
	}

	record PageInfo(boolean hasPreviousPage, boolean hasNextPage, String startCursor, String endCursor) {
	}

	record LedgerEntryConnection(List<LedgerEntryEdge> edges, PageInfo pageInfo) {
	}

	@SchemaMapping(typeName = "PointsAccount")
	LedgerEntryConnection history(PointsAccount account, @Argument Integer first, @Argument String after,
			@Argument List<EntryType> types, @Argument Instant from, @Argument Instant to) {
		int size = first == null ? 20 : first;
		if (size < 1 || size > 100) {
			throw new InvalidPoints("first", "first is 1 to 100");
		}
		Set<EntryType> wanted = types == null || types.isEmpty() ? EnumSet.allOf(EntryType.class) : EnumSet.copyOf(types);
		AccountStore.HistoryPage page = balances.history(account, after == null ? null : sequenceOf(after), size,
				new AccountStore.HistoryFilter(wanted, from, to));
		List<LedgerEntryEdge> edges = page.entries().stream().map(e -> new LedgerEntryEdge(cursor(e.sequence()), e))
				.toList();
		boolean more = page.scannedDownTo() > 1;
		String end = more ? cursor(page.scannedDownTo()) : edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
		return new LedgerEntryConnection(edges,
				new PageInfo(after != null, more, edges.isEmpty() ? null : edges.get(0).cursor(), end));
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String transactionId(Entry entry) {
		return entry.transaction();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String channel(Entry entry) {
		return entry.source() == null ? null : entry.source().channel().name();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String region(Entry entry) {
		return entry.source() == null ? null : entry.source().region();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String store(Entry entry) {
		return entry.source() == null ? null : entry.source().store();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String partner(Entry entry) {
		return entry.source() == null ? null : entry.source().partner();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String externalReference(Entry entry) {
		return entry.source() == null ? null : entry.source().externalReference();
	}

	@SchemaMapping(typeName = "LedgerEntry")
	String counterpartMemberId(Entry entry) {
		return entry.counterpart();
	}

	static String cursor(long sequence) {
		return Base64.getUrlEncoder().withoutPadding()
				.encodeToString(("entry:" + sequence).getBytes(StandardCharsets.UTF_8));
	}

	static long sequenceOf(String cursor) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (!text.startsWith("entry:")) {
				throw new IllegalArgumentException();
			}
			return Long.parseLong(text.substring("entry:".length()));
		}
		catch (IllegalArgumentException e) {
			throw new InvalidPoints("after", "'" + cursor + "' is not a cursor of this connection");
		}
	}
}
