package io.fidelis.points.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;
import io.fidelis.points.domain.Entry;
import io.fidelis.points.domain.Lot;
import io.fidelis.points.domain.PointsAccount;

/**
 * The points part of a member's privacy rights: their account and whole ledger in an export;
 * on erasure, the free text (reasons, external references, the reasons of reward refunds) goes
 * while every amount stays.
 */
@Service
public class PointsPrivacy {

	private final AccountStore accounts;

	private final PurchaseBook purchases;

	private final RewardShelf rewards;

	PointsPrivacy(AccountStore accounts, PurchaseBook purchases, RewardShelf rewards) {
		this.accounts = accounts;
		this.purchases = purchases;
		this.rewards = rewards;
	}

	/** The rewards the member redeemed from the catalog, refunded ones too, newest first. */
	public List<io.fidelis.points.domain.RewardRedemption> rewardRedemptions(MemberId member) {
		return rewards.redemptionsOf(member.value()).stream().map(RewardShelf.Redemption::view).toList();
	}

	/** The member's account as it stands, if one was opened. */
	public Optional<PointsAccount> account(MemberId member) {
		return accounts.find(member.value()).map(AccountStore.Stored::account);
	}

	/** Every ledger entry of the member, oldest first. */
	public List<Entry> ledger(MemberId member) {
		Optional<PointsAccount> account = account(member);
		if (account.isEmpty()) {
			return List.of();
		}
		List<Entry> entries = new ArrayList<>(accounts.history(member.value(), account.get().version() + 1,
				Integer.MAX_VALUE, Integer.MAX_VALUE, new AccountStore.HistoryFilter(null, null, null)).entries());
		entries.sort(java.util.Comparator.comparingLong(Entry::sequence));
		return entries;
	}

	/** Each credit the member holds, with what is left of it. */
	public List<Lot> lots(MemberId member) {
		return account(member).map(PointsAccount::lots).orElse(List.of());
	}

	/** The purchases tills and web shops recorded for the member, with their lines and returns. */
	public List<PurchaseBook.Recorded> purchases(MemberId member) {
		return purchases.purchasesOf(member.value());
	}

	public void erase(MemberId member) {
		accounts.scrubFreeText(member.value());
		rewards.scrubRefundReasons(member.value());
	}
}
