package io.fidelis.cards.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.WalletCard;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.points.PointsBalances;

/**
 * Keeps every member's card in step with the member and their points. Each change saves the card
 * (guarded by its revision) and then notes that both wallets are due the new version; delivery
 * happens apart from this, so a wallet being down never holds up a points event.
 */
@Service
public class KeepingCards {

	/** "Points expiring soon" on the card means within this many days. */
	public static final int EXPIRING_WITHIN_DAYS = 30;

	private final CardStore cards;
	private final MemberDirectory members;
	private final PointsBalances balances;
	private final GoogleWallet google;
	private final Clock clock;
	private final SecureRandom random = new SecureRandom();

	KeepingCards(CardStore cards, MemberDirectory members, PointsBalances balances, GoogleWallet google, Clock clock) {
		this.cards = cards;
		this.members = members;
		this.balances = balances;
		this.google = google;
		this.clock = clock;
	}

	/** The member's card, issued now if they have none yet; empty when the member does not exist. */
	public Optional<WalletCard> cardOf(MemberId member) {
		Optional<WalletCard> existing = cards.findByMember(member.value());
		if (existing.isPresent()) {
			return existing;
		}
		Optional<WalletCard> issued = issue(member);
		if (issued.isEmpty()) {
			return Optional.empty();
		}
		if (!cards.insert(issued.get())) {
			return cards.findByMember(member.value()); // another delivery issued it first
		}
		return Optional.of(issued.get().stored(1));
	}

	/** Every pass the member has had: the current one first, then those new ones replaced (their data export). */
	public List<WalletCard> passesOf(MemberId member) {
		List<WalletCard> passes = new java.util.ArrayList<>();
		cards.findByMember(member.value()).ifPresent(passes::add);
		passes.addAll(cards.retiredOf(member.value()));
		return passes;
	}

	/**
	 * Cards for a batch of members (an import's): the missing ones issued in one insert, the
	 * existing ones found in one read.
	 */
	public void issueAll(List<MemberId> batch) {
		List<MemberId> members = batch.stream().distinct().toList();
		java.util.Map<String, WalletCard> existing = cards.findByMembers(members.stream().map(MemberId::value).toList());
		List<MemberId> missing = members.stream().filter(member -> !existing.containsKey(member.value())).toList();
		if (missing.isEmpty()) {
			return;
		}
		// what each new card shows, read for the whole batch at once
		java.util.Map<MemberId, MemberProfile> profiles = this.members.profilesOf(missing);
		java.util.Map<MemberId, String> tiers = this.members.tiersOf(missing);
		java.util.Map<MemberId, PointsBalances.Balance> read = balances.balancesOf(missing, EXPIRING_WITHIN_DAYS);
		List<WalletCard> issued = new java.util.ArrayList<>();
		for (MemberId member : missing) {
			MemberProfile profile = profiles.get(member);
			if (profile != null) {
				issued.add(issue(member, profile, tiers.get(member), Optional.ofNullable(read.get(member))));
			}
		}
		cards.insertAll(issued);
	}

	/** A new card for the member, due to the wallets but not stored yet; empty when the member does not exist. */
	private Optional<WalletCard> issue(MemberId member) {
		return members.profileOf(member).map(profile -> issue(member, profile, members.tierOf(member).orElse(null),
				balances.balanceOf(member, EXPIRING_WITHIN_DAYS)));
	}

	private WalletCard issue(MemberId member, MemberProfile p, String tier, Optional<PointsBalances.Balance> balance) {
		Instant now = clock.instant();
		WalletCard card = WalletCard.issue(serialNumber(), member.value(), p.programId().value(), p.cardNumber(), p.name(),
				tier, token(), now);
		card = withBalance(card, balance, now);
		if ("SUSPENDED".equals(p.status())) {
			card = card.suspended(true, now);
		}
		else if (!"ACTIVE".equals(p.status())) {
			card = card.ended(WalletCard.CardStatus.VOIDED, p.status(), now);
		}
		// a serial drawn just now has no phone registered to it: only Google can be due
		if (google.updatesEnabled()) {
			cards.due(card.serialNumber(), CardStore.Wallet.GOOGLE, card.updateTag());
		}
		return card;
	}

	public void balanceChanged(MemberId member) {
		change(member, card -> withBalance(card, member, clock.instant()));
	}

	/**
	 * A settled batch's members: their cards and balances read in one read each, the cards that
	 * changed saved in one write. A card another change came to first, or a member without a card
	 * yet, goes the one-by-one way.
	 */
	public void balancesChanged(java.util.Collection<MemberId> batch) {
		List<MemberId> members = batch.stream().distinct().toList();
		java.util.Map<String, WalletCard> found = cards.findByMembers(members.stream().map(MemberId::value).toList());
		java.util.Map<MemberId, PointsBalances.Balance> read = balances.balancesOf(members, EXPIRING_WITHIN_DAYS);
		Instant now = clock.instant();
		List<WalletCard> changed = new java.util.ArrayList<>();
		for (MemberId member : members) {
			WalletCard card = found.get(member.value());
			if (card == null) {
				balanceChanged(member); // issued now, as one by one would
				continue;
			}
			PointsBalances.Balance b = read.get(member);
			WalletCard after = b == null ? card
					: card.withBalance(b.available(), b.pending(), b.version(), b.expiringSoon(), b.expiringFirst(), now);
			if (!after.equals(card)) {
				changed.add(after);
			}
		}
		// due before saved, as for one card
		java.util.Set<String> onPhones = cards.registered(changed.stream().map(WalletCard::serialNumber).toList());
		changed.forEach(card -> due(card, onPhones.contains(card.serialNumber())));
		java.util.Set<String> missed = cards.updateAll(changed);
		changed.stream().filter(card -> missed.contains(card.serialNumber()))
				.forEach(card -> balanceChanged(new MemberId(card.memberId())));
	}

	public void tierChanged(MemberId member, String tier) {
		change(member, card -> card.withTier(tier, clock.instant()));
	}

	/** Name or card number changed (a profile edit, or a card replaced after a loss). */
	public void holderChanged(MemberId member) {
		members.profileOf(member)
				.ifPresent(p -> change(member, card -> card.withHolder(p.name(), p.cardNumber(), clock.instant())));
	}

	public void memberClosed(MemberId member) {
		change(member, card -> card.ended(WalletCard.CardStatus.VOIDED, "CLOSED", clock.instant()));
	}

	/** Suspended or active again: the card follows (an ended card stays ended). */
	public void memberSuspended(MemberId member, boolean suspended) {
		change(member, card -> card.suspended(suspended, clock.instant()));
	}

	/** Every pass the member ever had loses name and number: the current one and those replaced before. */
	public void memberErased(MemberId member) {
		change(member, card -> card.erased(clock.instant()));
		for (WalletCard old : cards.retiredOf(member.value())) {
			WalletCard card = old;
			while (!card.erased()) {
				WalletCard after = card.erased(clock.instant());
				due(after);
				if (cards.update(after)) {
					break;
				}
				card = cards.find(card.serialNumber()).orElseThrow();
			}
		}
	}

	/**
	 * A card number changed: a lost or stolen card, or a revoked one reinstated, gets a new pass
	 * (the old one is voided and follows the member no more); a damaged card keeps its pass with
	 * the new number. A pass that already shows something else than {@code previousCardNumber} was
	 * replaced before (the event delivered again), and is only brought up to date.
	 */
	public void cardNumberChanged(MemberId member, String previousCardNumber, String reason) {
		Optional<WalletCard> current = cards.findByMember(member.value());
		if (NEW_PASS_FOR.contains(reason) && current.isPresent() && !current.get().erased()
				&& java.util.Objects.equals(current.get().cardNumber(), previousCardNumber)) {
			reissue(member, current.get().serialNumber(), WalletCard.CardStatus.VOIDED, "REPLACED: " + reason);
		}
		else {
			holderChanged(member);
		}
	}

	/** Reasons a card number changes for that also need a new pass: whoever holds the old one must not follow. */
	static final java.util.Set<String> NEW_PASS_FOR = java.util.Set.of("LOST", "STOLEN", "REINSTATED");

	/**
	 * Ends the member's pass {@code serialNumber} for good ({@link WalletCard#retired}) and issues a new one, with a new
	 * serial number and token, showing the member as they are now. The old pass is noted as the
	 * member's before it is retired, so that an erasure reaches it; a crash after retiring it is
	 * healed by the next read of the member's card, which issues the new pass.
	 */
	public Optional<WalletCard> reissue(MemberId member, String serialNumber, WalletCard.CardStatus endAs, String reason) {
		while (true) {
			Optional<WalletCard> current = cards.findByMember(member.value());
			if (current.isEmpty()) {
				return cardOf(member);
			}
			if (!current.get().serialNumber().equals(serialNumber)) {
				return current; // replaced already, by another delivery or request
			}
			WalletCard retired = current.get().retired(endAs, reason, clock.instant());
			cards.noteRetired(member.value(), retired.serialNumber());
			due(retired); // the phones and Google are told once more: the pass is voided
			if (cards.update(retired)) {
				return cardOf(member);
			}
		}
	}

	/**
	 * One page of a program's cards, in serial-number order after {@code afterSerial} (null: from the
	 * start), brought to its new design: each card a new version, due to the wallets that hold it,
	 * saved in one write (a card another change came to first is redone alone). Answers the last
	 * serial number of a full page, or empty when the program has no more cards.
	 */
	public Optional<String> redesign(String programId, String afterSerial, int pageSize) {
		List<WalletCard> page = cards.list(programId, afterSerial, pageSize);
		Instant now = clock.instant();
		List<WalletCard> changed = new java.util.ArrayList<>();
		for (WalletCard card : page) {
			WalletCard redesigned = card.redesigned(now);
			if (!redesigned.equals(card)) { // an ended card shows what it showed
				changed.add(redesigned);
			}
		}
		java.util.Set<String> onPhones = cards.registered(changed.stream().map(WalletCard::serialNumber).toList());
		changed.forEach(card -> due(card, onPhones.contains(card.serialNumber())));
		java.util.Set<String> missed = cards.updateAll(changed);
		changed.stream().filter(card -> missed.contains(card.serialNumber()))
				.forEach(card -> change(new MemberId(card.memberId()), c -> c.redesigned(clock.instant())));
		return page.size() < pageSize ? Optional.empty() : Optional.of(page.get(page.size() - 1).serialNumber());
	}

	/** Applies {@code change} to the member's card, again on a fresh copy when another change came first. */
	Optional<WalletCard> change(MemberId member, UnaryOperator<WalletCard> change) {
		while (true) {
			Optional<WalletCard> card = cardOf(member);
			if (card.isEmpty()) {
				return Optional.empty();
			}
			WalletCard after = change.apply(card.get());
			if (after.equals(card.get())) {
				return card;
			}
			// due before saved: a crash in between costs a needless delivery, never a missed one
			due(after);
			if (cards.update(after)) {
				return Optional.of(after.stored(after.revision() + 1));
			}
		}
	}

	/**
	 * Only the wallets that hold the card are due it: Apple when a phone registered the pass (a
	 * phone that registers later is pushed at registration), Google when objects are kept current.
	 * Every pending update costs durable writes on each points movement.
	 */
	void due(WalletCard card) {
		due(card, !cards.registrationsOf(card.serialNumber()).isEmpty());
	}

	private void due(WalletCard card, boolean onAPhone) {
		if (onAPhone) {
			cards.due(card.serialNumber(), CardStore.Wallet.APPLE, card.updateTag());
		}
		if (google.updatesEnabled()) {
			cards.due(card.serialNumber(), CardStore.Wallet.GOOGLE, card.updateTag());
		}
	}

	private WalletCard withBalance(WalletCard card, MemberId member, Instant now) {
		return withBalance(card, balances.balanceOf(member, EXPIRING_WITHIN_DAYS), now);
	}

	private static WalletCard withBalance(WalletCard card, Optional<PointsBalances.Balance> balance, Instant now) {
		return balance.map(b -> card.withBalance(b.available(), b.pending(), b.version(), b.expiringSoon(), b.expiringFirst(), now))
				.orElse(card);
	}

	private String serialNumber() {
		byte[] bytes = new byte[12];
		random.nextBytes(bytes);
		return "c" + HexFormat.of().formatHex(bytes);
	}

	private String token() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
