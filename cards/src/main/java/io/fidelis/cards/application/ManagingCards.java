package io.fidelis.cards.application;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Service;

import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.InvalidCard;
import io.fidelis.cards.domain.WalletCard;
import io.fidelis.members.Caller;
import io.fidelis.members.CardNumbers;
import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

/** What members and staff ask of cards: a member's own cards with their wallet links; staff listing, revoking, designing. */
@Service
public class ManagingCards {

	private final CardStore cards;
	private final KeepingCards keeping;
	private final MemberDirectory members;
	private final GoogleWallet google;
	private final PassLinks links;
	private final Designs designs;
	private final java.time.Clock clock;
	private final CardNumbers numbers;
	private final RollingOutDesigns rollouts;

	ManagingCards(CardStore cards, KeepingCards keeping, MemberDirectory members, GoogleWallet google, PassLinks links,
			Designs designs, java.time.Clock clock, CardNumbers numbers, RollingOutDesigns rollouts) {
		this.rollouts = rollouts;
		this.clock = clock;
		this.numbers = numbers;
		this.cards = cards;
		this.keeping = keeping;
		this.members = members;
		this.google = google;
		this.links = links;
		this.designs = designs;
	}

	public sealed interface Outcome<T> {
		record Done<T>(T value) implements Outcome<T> {
		}

		record Refused<T>(Refusal refusal) implements Outcome<T> {
		}
	}

	/** A member's cards (one per membership today): members their own, staff any in their programs. */
	public Outcome<List<WalletCard>> cardsOf(Caller caller, MemberId member) {
		Optional<Refusal> refusal = mayRead(caller, member);
		if (refusal.isPresent()) {
			return new Outcome.Refused<>(refusal.get());
		}
		return new Outcome.Done<>(keeping.cardOf(member).stream().toList());
	}

	/**
	 * Whether {@code caller} may see the cards of a member already read (a page of a list): staff
	 * by the profile's program, without a read per member; members only their own.
	 */
	public Optional<Refusal> mayReadCardsOf(Caller caller, io.fidelis.members.MemberProfile member) {
		if (caller instanceof Caller.Staff staff) {
			return staff.mayReach(member.programId()) ? Optional.empty()
					: Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, Caller.outOfReach(member.programId())));
		}
		return mayRead(caller, member.memberId());
	}

	/**
	 * The cards of many members whom the caller may see ({@link #mayReadCardsOf}): those
	 * issued found in one read, one missing issued now as for a single member.
	 */
	public java.util.Map<String, List<WalletCard>> cardsOfAll(java.util.Collection<String> memberIds) {
		java.util.Map<String, WalletCard> found = cards.findByMembers(memberIds);
		java.util.Map<String, List<WalletCard>> all = new java.util.HashMap<>();
		for (String memberId : memberIds) {
			WalletCard card = found.get(memberId);
			all.put(memberId, card != null ? List.of(card) : keeping.cardOf(new MemberId(memberId)).stream().toList());
		}
		return all;
	}

	/**
	 * Every pass the member had, for their data export: the caller was checked by the members
	 * module, which alone hands out the export this is asked from.
	 */
	public List<WalletCard> passesOf(MemberId member) {
		return keeping.passesOf(member);
	}

	/**
	 * What a member's card page shows: the card as it is now (issued if it was not yet), its
	 * design, the program's time zone, and the wallet links while the card is active.
	 */
	public record Page(WalletCard card, CardDesign design, java.time.ZoneId zone, String appleUrl, String googleUrl) {
	}

	/** The member's card page, or empty when there is no such member. */
	public Optional<Page> page(MemberId member) {
		return keeping.cardOf(member).map(card -> {
			CardDesign design = designs.of(card.programId());
			java.time.ZoneId zone = members.timeZoneOf(new ProgramId(card.programId())).orElse(java.time.ZoneOffset.UTC);
			return card.active() ? new Page(card, design, zone, links.appleDownloadUrl(card), google.saveUrl(card, design))
					: new Page(card, design, zone, null, null);
		});
	}

	/** Whether {@code caller} may have a link to the member's card page: the member, or staff of the program. */
	public Optional<Refusal> mayLinkPage(Caller caller, MemberId member) {
		return mayRead(caller, member);
	}

	public String appleDownloadUrl(WalletCard card) {
		return links.appleDownloadUrl(card);
	}

	public String googleSaveUrl(WalletCard card) {
		return google.saveUrl(card, designs.of(card.programId()));
	}

	public Outcome<CardList> list(Caller.Staff staff, ProgramId program, String after, int first) {
		if (!staff.mayReach(program)) {
			return forbidden("Your token does not cover program '" + program + "'");
		}
		if (first < 1 || first > 100) {
			throw new InvalidCard("first", "first must be 1 to 100");
		}
		List<WalletCard> found = cards.list(program.value(), after, first + 1); // one more says whether more follow
		return new Outcome.Done<>(new CardList(found.subList(0, Math.min(first, found.size())), found.size() > first));
	}

	/** A page of a program's cards in serial-number order, and whether more follow. */
	public record CardList(List<WalletCard> cards, boolean more) {
	}

	/**
	 * Voids the card in both wallets at once and blocks its number at every till; the member keeps
	 * their account and points, and staff can {@link #reinstate} the card with a new pass and number.
	 */
	public Outcome<WalletCard> revoke(Caller.Staff staff, String serialNumber, String reason) {
		if (reason == null || reason.isBlank() || reason.length() > 200) {
			throw new InvalidCard("reason", "A reason of 1 to 200 characters is required");
		}
		Optional<WalletCard> card = cards.find(serialNumber == null ? "" : serialNumber);
		if (card.isEmpty()) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.NOT_FOUND, "There is no card '" + serialNumber + "'"));
		}
		if (!staff.mayReach(new ProgramId(card.get().programId()))) {
			return forbidden("Your token does not cover program '" + card.get().programId() + "'");
		}
		if (card.get().retired()) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.CONFLICT, "The card '" + serialNumber
					+ "' was replaced by a new one and is void already; revoke the member's current card"));
		}
		MemberId member = new MemberId(card.get().memberId());
		if (card.get().erased()) {
			return new Outcome.Done<>(card.get()); // nothing personal left on it, no number to block
		}
		// the number first: from here on it identifies nobody at a till, even if the card's write fails
		numbers.revoke(member, clock.instant());
		return new Outcome.Done<>(keeping.change(member,
				c -> c.ended(WalletCard.CardStatus.REVOKED, "REVOKED: " + reason.strip(), clock.instant()))
				.orElseThrow());
	}

	/**
	 * A revoked card back in use: the member gets a new card number and a new pass (new serial
	 * number and token); the revoked pass and number stay void. Asking again once reinstated
	 * answers the member's current card.
	 */
	public Outcome<WalletCard> reinstate(Caller.Staff staff, String serialNumber) {
		Optional<WalletCard> card = cards.find(serialNumber == null ? "" : serialNumber);
		if (card.isEmpty()) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.NOT_FOUND, "There is no card '" + serialNumber + "'"));
		}
		if (!staff.mayReach(new ProgramId(card.get().programId()))) {
			return forbidden("Your token does not cover program '" + card.get().programId() + "'");
		}
		MemberId member = new MemberId(card.get().memberId());
		if (card.get().status() != WalletCard.CardStatus.REVOKED) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.CONFLICT,
					"The card '" + serialNumber + "' is " + card.get().status() + ", not REVOKED: only a revoked card is reinstated"));
		}
		if (card.get().retired()) { // reinstated before: the member's card now
			return new Outcome.Done<>(keeping.cardOf(member).orElseThrow());
		}
		Optional<String> number = numbers.reinstate(member);
		if (number.isEmpty() && numbers.revoked(member)) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.CONFLICT,
					"Member " + member + " is closed: a closed account gets no new card"));
		}
		return new Outcome.Done<>(keeping.reissue(member, serialNumber, WalletCard.CardStatus.REVOKED,
				card.get().statusReason()).orElseThrow());
	}

	/** How the program's cards look, for staff within the program boundary. */
	public Outcome<CardDesign> design(Caller caller, ProgramId program) {
		if (!caller.mayReach(program)) {
			return forbidden(Caller.outOfReach(program));
		}
		return new Outcome.Done<>(designs.of(program.value()));
	}

	public Outcome<CardDesign> setDesign(Caller.Staff staff, CardDesign design) {
		if (!staff.mayReach(new ProgramId(design.programId()))) {
			return forbidden("Your token does not cover program '" + design.programId() + "'");
		}
		if (members.timeZoneOf(new ProgramId(design.programId())).isEmpty()) {
			return new Outcome.Refused<>(new Refusal(Refusal.Reason.NOT_FOUND,
					"There is no program '" + design.programId() + "'"));
		}
		cards.saveDesign(design);
		// also when the design is the same: a retry after a crash between these two lines must still roll it out
		rollouts.start(design.programId());
		return new Outcome.Done<>(design);
	}

	private Optional<Refusal> mayRead(Caller caller, MemberId member) {
		if (caller instanceof Caller.Member self) {
			return members.isSelf(self, member) ? Optional.empty()
					: Optional.of(new Refusal(Refusal.Reason.FORBIDDEN, "Members may only see their own cards"));
		}
		if (caller instanceof Caller.Staff staff) {
			Optional<ProgramId> program = members.programOf(member);
			if (program.isEmpty()) {
				return Optional.of(new Refusal(Refusal.Reason.NOT_FOUND, "There is no member '" + member + "'"));
			}
			return staff.mayReach(program.get()) ? Optional.empty()
					: Optional.of(new Refusal(Refusal.Reason.FORBIDDEN,
							"Your token does not cover program '" + program.get() + "'"));
		}
		return Optional.of(new Refusal(Refusal.Reason.FORBIDDEN,
				"Cards are for the member and staff, not " + caller.getClass().getSimpleName().toLowerCase(Locale.ROOT)));
	}

	private static <T> Outcome<T> forbidden(String message) {
		return new Outcome.Refused<>(new Refusal(Refusal.Reason.FORBIDDEN, message));
	}
}
