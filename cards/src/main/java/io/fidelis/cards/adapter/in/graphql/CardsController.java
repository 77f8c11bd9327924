package io.fidelis.cards.adapter.in.graphql;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.cards.application.ManagingCards;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.InvalidCard;
import io.fidelis.cards.domain.WalletCard;
import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.ProgramId;

/** The {@code LoyaltyCard} and {@code CardDesign} types, and who may ask for them. */
@Controller
class CardsController {

	private final ManagingCards cards;
	private final io.fidelis.cards.CardPageLinks pages;

	/** A member's cards, as the batch loader of {@code Member.cards} answers them. */
	record MemberCards(List<WalletCard> cards) {
	}

	CardsController(ManagingCards cards, io.fidelis.cards.CardPageLinks pages,
			org.springframework.graphql.execution.BatchLoaderRegistry loaders) {
		this.cards = cards;
		this.pages = pages;
		// a page of members costs one read of their cards
		loaders.forTypePair(String.class, MemberCards.class).registerMappedBatchLoader((ids, env) -> reactor.core.publisher.Mono
				.fromCallable(() -> {
					java.util.Map<String, MemberCards> byMember = new java.util.HashMap<>();
					cards.cardsOfAll(ids).forEach((member, theirs) -> byMember.put(member, new MemberCards(theirs)));
					return byMember;
				}));
	}

	record RevokeCardInput(String serialNumber, String reason) {
	}

	record CardDesignInput(String programId, String organizationName, String description, String logoText,
			String backgroundColor, String foregroundColor, String labelColor, CardDesign.BarcodeFormat barcodeFormat,
			String logoPng, String iconPng, String stripPng, CardBackInput back, List<CardLanguageInput> languages,
			String googleLogoPng) {
	}

	record CardLanguageInput(String language, List<CardWordInput> words) {
	}

	record CardWordInput(String key, String text) {
	}

	/** A program's words for one language, as GraphQL lists them. */
	record CardWord(String key, String text) {
	}

	record CardBackInput(String terms, String website, String phone, String about, Boolean sharingProhibited,
			String appLaunchUrl, List<Long> appStoreIds) {
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF')")
	List<WalletCard> memberCards(@Argument String memberId, @AuthenticationPrincipal Caller caller) {
		return done(cards.cardsOf(caller, memberId(memberId)));
	}

	/** A signed link to the member's card page, for an e-mail or SMS (the member, or staff of the program). */
	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF')")
	io.fidelis.cards.CardPageLinks.CardPageLink cardPageLink(@Argument String memberId,
			@AuthenticationPrincipal Caller caller) {
		io.fidelis.members.MemberId member = memberId(memberId);
		cards.mayLinkPage(caller, member).ifPresent(refusal -> {
			throw new Refused(refusal);
		});
		return pages.linkFor(member);
	}

	/**
	 * Authorization happened when the member was read; the same rule decides again here, per
	 * member, before the batched read (so that a refusal is answered as one).
	 */
	@SchemaMapping(typeName = "Member", field = "cards")
	java.util.concurrent.CompletableFuture<List<WalletCard>> cards(MemberProfile member,
			org.dataloader.DataLoader<String, MemberCards> memberCards, @AuthenticationPrincipal Caller caller) {
		cards.mayReadCardsOf(caller, member).ifPresent(refusal -> {
			throw new Refused(refusal);
		});
		return memberCards.load(member.memberId().value()).thenApply(MemberCards::cards);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	CardConnection programCards(@Argument String programId, @Argument Integer first, @Argument String after,
			@AuthenticationPrincipal Caller caller) {
		String afterSerial = after == null ? null : ListConnection.key(after, InvalidCard::new);
		ManagingCards.CardList list = done(cards.list((Caller.Staff) caller, programId(programId), afterSerial,
				first == null ? 20 : first));
		List<ListConnection.Edge<WalletCard>> edges = list.cards().stream().map(c -> new ListConnection.Edge<>(ListConnection.cursor(c.serialNumber()), c))
				.toList();
		return new CardConnection(edges, new ListConnection.PageInfo(after != null, list.more(),
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
	}

	/** Paged in the store by serial number, so without a total: counting a program's cards would read them all. */
	record CardConnection(List<ListConnection.Edge<WalletCard>> edges, ListConnection.PageInfo pageInfo) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	CardDesign cardDesign(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return done(cards.design(caller, programId(programId)));
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_SUPPORT')")
	CardPayload revokeCard(@Argument RevokeCardInput input, @AuthenticationPrincipal Caller caller) {
		return new CardPayload(done(cards.revoke((Caller.Staff) caller, input.serialNumber(), input.reason())));
	}

	record ReinstateCardInput(String serialNumber) {
	}

	/** The payload of revokeCard and of reinstateCard. */
	record CardPayload(WalletCard card) {
	}

	record SetCardDesignPayload(CardDesign design) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_SUPPORT')")
	CardPayload reinstateCard(@Argument ReinstateCardInput input, @AuthenticationPrincipal Caller caller) {
		return new CardPayload(done(cards.reinstate((Caller.Staff) caller, input.serialNumber())));
	}

	/** A member's data export: every pass they had, the members module having decided who may ask. */
	@SchemaMapping(typeName = "MemberDataExport", field = "cards")
	List<WalletCard> exportedCards(io.fidelis.members.MemberDataExport export) {
		return cards.passesOf(export.memberId());
	}

	/** The serial number: unique among every program's cards, and what Apple Wallet knows the pass by. */
	@SchemaMapping(typeName = "LoyaltyCard", field = "id")
	String id(WalletCard card) {
		return card.serialNumber();
	}

	@SchemaMapping(typeName = "LoyaltyCard", field = "replaced")
	boolean replaced(WalletCard card) {
		return card.retired();
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetCardDesignPayload setCardDesign(@Argument CardDesignInput input, @AuthenticationPrincipal Caller caller) {
		CardDesign design = new CardDesign(programId(input.programId()).value(), input.organizationName(),
				input.description(), input.logoText(), input.backgroundColor(), input.foregroundColor(),
				input.labelColor(), input.barcodeFormat(), png("logoPng", input.logoPng()), png("iconPng", input.iconPng()),
				png("stripPng", input.stripPng()), input.back() == null ? null : new io.fidelis.cards.domain.CardBack(
						input.back().terms(), input.back().website(), input.back().phone(), input.back().about(),
						Boolean.TRUE.equals(input.back().sharingProhibited()), input.back().appLaunchUrl(),
						input.back().appStoreIds()),
				input.languages() == null ? List.of() : input.languages().stream().map(CardsController::language).toList(),
				png("googleLogoPng", input.googleLogoPng()));
		return new SetCardDesignPayload(done(cards.setDesign((Caller.Staff) caller, design)));
	}

	/** A card that ended (voided, revoked, replaced) is not offered to wallets again: no link. A suspended one is. */
	@SchemaMapping(typeName = "LoyaltyCard")
	String appleWalletUrl(WalletCard card) {
		return card.ended() ? null : cards.appleDownloadUrl(card);
	}

	@SchemaMapping(typeName = "LoyaltyCard")
	String googleWalletUrl(WalletCard card) {
		return card.ended() ? null : cards.googleSaveUrl(card);
	}

	@SchemaMapping(typeName = "LoyaltyCard")
	long balance(WalletCard card) {
		return card.available();
	}

	@SchemaMapping(typeName = "LoyaltyCard")
	long pendingPoints(WalletCard card) {
		return card.pending();
	}

	private static io.fidelis.cards.domain.CardLanguage language(CardLanguageInput input) {
		Map<String, String> words = new java.util.LinkedHashMap<>();
		for (CardWordInput word : input.words() == null ? List.<CardWordInput>of() : input.words()) {
			String key = WORD_KEYS.get(word.key());
			if (words.put(key, word.text()) != null) {
				throw new io.fidelis.cards.domain.InvalidCard("words", word.key() + " is given twice for " + input.language());
			}
		}
		return new io.fidelis.cards.domain.CardLanguage(input.language(), words);
	}

	/** The schema's CardWordKey by pass.strings key, and back. */
	static final Map<String, String> WORD_KEYS = Map.ofEntries(Map.entry("POINTS", "balance"),
			Map.entry("POINTS_CHANGED", "balance_changed"), Map.entry("TIER", "tier"), Map.entry("TIER_CHANGED", "tier_changed"),
			Map.entry("NO_TIER", "no_tier"), Map.entry("MEMBER", "member"), Map.entry("PENDING", "pending"),
			Map.entry("EXPIRING", "expiring"), Map.entry("EXPIRES_ON", "expires_on"), Map.entry("CARD_NUMBER", "card_number"),
			Map.entry("STATUS", "status"), Map.entry("VOIDED", "voided"), Map.entry("SUSPENDED", "suspended"),
			Map.entry("SUSPENDED_CHANGED", "suspended_changed"), Map.entry("ABOUT", "about"), Map.entry("WEBSITE", "website"),
			Map.entry("PHONE", "phone"), Map.entry("TERMS", "terms"));

	@SchemaMapping(typeName = "CardLanguage")
	List<CardWord> words(io.fidelis.cards.domain.CardLanguage language) {
		return WORD_KEYS.entrySet().stream().filter(e -> language.words().containsKey(e.getValue()))
				.sorted(Map.Entry.comparingByKey()).map(e -> new CardWord(e.getKey(), language.words().get(e.getValue())))
				.toList();
	}

	@SchemaMapping(typeName = "CardDesign")
	boolean hasOwnLogo(CardDesign design) {
		return design.logo() != null;
	}

	@SchemaMapping(typeName = "CardDesign")
	boolean hasOwnGoogleLogo(CardDesign design) {
		return design.squareLogo() != null;
	}

	@SchemaMapping(typeName = "CardDesign")
	boolean hasOwnIcon(CardDesign design) {
		return design.icon() != null;
	}

	@SchemaMapping(typeName = "CardDesign")
	boolean hasOwnStrip(CardDesign design) {
		return design.strip() != null;
	}

	private static byte[] png(String field, String base64) {
		if (base64 == null || base64.isBlank()) {
			return null;
		}
		try {
			return Base64.getMimeDecoder().decode(base64);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidCard(field, field + " must be a base64-encoded PNG");
		}
	}

	private static MemberId memberId(String id) {
		if (id == null || id.isBlank() || id.length() > 64) {
			throw new InvalidCard("memberId", "memberId must be 1 to 64 characters");
		}
		return new MemberId(id);
	}

	private static ProgramId programId(String id) {
		if (id == null || !id.matches("[a-z0-9-]{2,63}")) {
			throw new InvalidCard("programId", "'" + id + "' is not a program id");
		}
		return new ProgramId(id);
	}

	private static <T> T done(ManagingCards.Outcome<T> outcome) {
		if (outcome instanceof ManagingCards.Outcome.Refused<T> refused) {
			throw new Refused(refused.refusal());
		}
		return ((ManagingCards.Outcome.Done<T>) outcome).value();
	}
}
