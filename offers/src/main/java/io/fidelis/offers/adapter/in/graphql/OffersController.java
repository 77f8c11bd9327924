package io.fidelis.offers.adapter.in.graphql;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.offers.application.ManagingCatalog;
import io.fidelis.offers.application.MemberOffers;
import io.fidelis.offers.application.Refusal;
import io.fidelis.offers.application.RunningSchedules;
import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Condition;
import io.fidelis.offers.domain.InvalidOffer;
import io.fidelis.offers.domain.Offer;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** The offers part of the schema, and who may call what. */
@Controller
class OffersController {

	private final ManagingCatalog catalog;
	private final MemberOffers memberOffers;
	private final io.fidelis.offers.application.KeepingChallenges challenges;
	private final RunningSchedules schedules;
	private final LiveOffers live;


	record DefineChallengeInput(String programId, String challengeId, String name, String description,
			io.fidelis.offers.domain.Challenge.Goal goal, java.math.BigDecimal target, String category, Instant validFrom,
			Instant validUntil, Long rewardPoints, Boolean active) {
	}

	record DefineChallengePayload(io.fidelis.offers.domain.Challenge challenge) {
	}

	/** The schema's {@code MemberChallenge}. */
	record MemberChallengeView(io.fidelis.offers.domain.Challenge challenge, long purchases, java.math.BigDecimal spend,
			int stores, long streak, java.math.BigDecimal progress, Instant completedAt) {

		static MemberChallengeView of(io.fidelis.offers.application.KeepingChallenges.MemberChallenge m) {
			return new MemberChallengeView(m.challenge(), m.progress().purchases(), m.progress().spend(),
					m.progress().stores().size(), m.progress().streak(), m.progress().share(m.challenge()),
					m.progress().completedAt());
		}
	}

	@QueryMapping
	@PreAuthorize("isAuthenticated()")
	List<io.fidelis.offers.domain.Challenge> challenges(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return challenges.running(caller, programId);
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	DefineChallengePayload defineChallenge(@Argument DefineChallengeInput input, @AuthenticationPrincipal Caller caller) {
		return new DefineChallengePayload(challenges.define(caller, new io.fidelis.offers.domain.Challenge(input.programId(),
				input.challengeId(), input.name(), input.description(), input.goal(), input.target(), input.category(),
				input.validFrom(), input.validUntil(), input.rewardPoints() == null ? 0 : input.rewardPoints(),
				!Boolean.FALSE.equals(input.active()))));
	}

	@SchemaMapping(typeName = "Member", field = "challenges")
	List<MemberChallengeView> memberChallenges(io.fidelis.members.MemberProfile member, @AuthenticationPrincipal Caller caller) {
		return challenges.of(caller, member.memberId()).stream().map(MemberChallengeView::of).toList();
	}

	@SchemaMapping(typeName = "Challenge", field = "id")
	String challengeId(io.fidelis.offers.domain.Challenge challenge) {
		return challenge.challengeId();
	}

	OffersController(ManagingCatalog catalog, MemberOffers memberOffers, RunningSchedules schedules, LiveOffers live,
			io.fidelis.offers.application.KeepingChallenges challenges) {
		this.challenges = challenges;
		this.live = live;
		this.catalog = catalog;
		this.memberOffers = memberOffers;
		this.schedules = schedules;
	}

	record ConditionInput(Condition.Fact fact, Condition.Operator operator, String value, Integer days) {
	}

	record OfferInput(String programId, String name, Offer.Kind kind, BigDecimal multiplier, String multiplierCategory,
			Long bonusPoints, Long rewardCost, String couponDiscount, Instant validFrom, Instant validUntil,
			Integer capPerMember, Long totalCap, Long pointsBudget, Integer priority, Boolean stackable, List<String> channels,
			List<String> regions, List<String> tiers, Offer.Trigger trigger, List<ConditionInput> conditions,
			Boolean personalized) {
	}

	record CouponView(String code, String status, Offer offer, String memberId) {
	}

	record CreateOfferPayload(Offer offer) {
	}

	/** The schema's PointsChannel values; an offer stored before channels were checked may name others, never matched. */
	private static final Set<String> CHANNELS = Set.of("ONLINE", "IN_STORE", "APP", "PARTNER");

	@SchemaMapping(typeName = "Offer")
	List<String> channels(Offer offer) {
		return offer.channels().stream().filter(CHANNELS::contains).sorted().toList();
	}

	/** The input of activateOffer and of redeemReward: one of the member's offers. */
	record AssignmentInput(String assignmentId) {
	}

	/** The payload of activateOffer and of redeemReward. */
	record MemberOfferPayload(Assignment memberOffer) {
	}

	record RedeemCouponInput(String code) {
	}

	record RedeemCouponPayload(CouponView coupon) {
	}

	record RunOfferSchedulesInput(String programId) {
	}

	record RunOfferSchedulesPayload(int assigned) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	CreateOfferPayload createOffer(@Argument OfferInput input, @AuthenticationPrincipal Caller caller) {
		if (input.programId() == null || !input.programId().matches("[a-z0-9-]{2,63}")) {
			throw new InvalidOffer("programId", "'" + input.programId() + "' is not a program id");
		}
		BigDecimal multiplier = input.multiplier(); // a Decimal: the schema parsed it
		List<Condition> conditions = input.conditions() == null ? List.of() : input.conditions().stream()
				.map(c -> new Condition(c.fact(), c.operator(), c.value(), c.days())).toList();
		Offer draft = new Offer("draft", input.programId(), input.name(), input.kind(), multiplier, input.multiplierCategory(),
				input.bonusPoints() == null ? 0 : input.bonusPoints(), input.rewardCost() == null ? 0 : input.rewardCost(),
				input.couponDiscount(), input.validFrom(), input.validUntil(),
				input.capPerMember() == null ? 1 : input.capPerMember(), input.totalCap() == null ? 0 : input.totalCap(),
				input.pointsBudget() == null ? 0 : input.pointsBudget(), input.priority() == null ? 0 : input.priority(),
				Boolean.TRUE.equals(input.stackable()), set(input.channels()), set(input.regions()), set(input.tiers()),
				input.trigger(), conditions, !Boolean.FALSE.equals(input.personalized()), Instant.EPOCH);
		return new CreateOfferPayload(catalog.create((Caller.Staff) caller, draft));
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	ListConnection<Offer> offers(@Argument String programId, @Argument Integer first, @Argument String after,
			@AuthenticationPrincipal Caller caller) {
		List<Offer> all = new java.util.ArrayList<>(catalog.catalog((Caller.Staff) caller, programId));
		all.sort(java.util.Comparator.comparing(Offer::createdAt).thenComparing(Offer::id)); // oldest first: a page stays a page
		return ListConnection.of(all, Offer::id, first, after, InvalidOffer::new);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	Offer offer(@Argument String id, @AuthenticationPrincipal Caller caller) {
		return catalog.offer((Caller.Staff) caller, id);
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF')")
	Assignment memberOffer(@Argument String id, @AuthenticationPrincipal Caller caller) {
		return memberOffers.assignment(caller, id);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	OfferPreview previewOffer(@Argument String offerId, @AuthenticationPrincipal Caller caller) {
		ManagingCatalog.Preview preview = catalog.preview((Caller.Staff) caller, offerId);
		return new OfferPreview(preview.matching(), preview.firstMembers());
	}

	/** As the schema names it (a map hid its fields from Spring's schema inspection, which called them unmapped). */
	record OfferPreview(int matching, List<String> memberIds) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	ManagingCatalog.Performance offerPerformance(@Argument String offerId, @AuthenticationPrincipal Caller caller) {
		return catalog.performance((Caller.Staff) caller, offerId);
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	RunOfferSchedulesPayload runOfferSchedules(@Argument RunOfferSchedulesInput input, @AuthenticationPrincipal Caller caller) {
		String programId = input.programId();
		catalog.catalog((Caller.Staff) caller, programId); // the same checks: may see, exists
		return new RunOfferSchedulesPayload(schedules.inactivity(new ProgramId(programId))
				+ schedules.birthdays(new ProgramId(programId), Instant.now()));
	}

	@QueryMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF')")
	ListConnection<Assignment> memberOffers(@Argument String memberId, @Argument Integer first, @Argument String after,
			@AuthenticationPrincipal Caller caller) {
		return ListConnection.of(memberOffers.offersOf(caller, member(memberId)), Assignment::id, first, after, InvalidOffer::new);
	}

	@MutationMapping
	@PreAuthorize("hasRole('MEMBER')")
	MemberOfferPayload activateOffer(@Argument AssignmentInput input, @AuthenticationPrincipal Caller caller) {
		return new MemberOfferPayload(memberOffers.activate(caller, input.assignmentId()));
	}

	@MutationMapping
	@PreAuthorize("hasRole('MEMBER')")
	MemberOfferPayload redeemReward(@Argument AssignmentInput input, @AuthenticationPrincipal Caller caller) {
		return new MemberOfferPayload(memberOffers.redeemReward(caller, input.assignmentId()));
	}

	@QueryMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	CouponView checkCoupon(@Argument String code, @AuthenticationPrincipal Caller caller) {
		MemberOffers.CouponCheck check = memberOffers.checkCoupon(caller, code);
		return new CouponView(check.code(), check.status(), check.offer(), check.assignment().memberId());
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	RedeemCouponPayload redeemCoupon(@Argument RedeemCouponInput input, @AuthenticationPrincipal Caller caller) {
		MemberOffers.CouponCheck check = memberOffers.redeemCoupon(caller, input.code());
		return new RedeemCouponPayload(
				new CouponView(check.code(), check.status(), check.offer(), check.assignment().memberId()));
	}

	/**
	 * New assignments as they are stored, on any node: {@link LiveOffers} hears of them from the
	 * assignment feed, so an idle subscriber reads nothing. Checked here, not with @PreAuthorize
	 * (see pointsAccount).
	 */
	@SubscriptionMapping
	Flux<Assignment> offerAssigned(@Argument String memberId, @AuthenticationPrincipal Caller caller) {
		if (caller == null) {
			throw new AuthenticationCredentialsNotFoundException("Unauthorized");
		}
		MemberId member = member(memberId);
		Set<String> present = new HashSet<>(memberOffers.offersOf(caller, member).stream().map(Assignment::id).toList());
		return Flux.<Assignment>create(sink -> {
			Set<String> seen = new HashSet<>();
			java.util.function.Consumer<List<Assignment>> show = assignments -> {
				synchronized (seen) {
					assignments.stream().filter(a -> !present.contains(a.id()) && seen.add(a.id()))
							.sorted(java.util.Comparator.comparing(Assignment::assignedAt)).forEach(sink::next);
				}
			};
			// followed before the second read, so that an offer given between the two is not missed
			sink.onDispose(live.follow(member.value(), show)::run);
			try {
				show.accept(memberOffers.offersOf(caller, member));
			}
			catch (RuntimeException e) {
				sink.error(e);
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@SchemaMapping(typeName = "MemberOffer")
	Offer offer(Assignment assignment) {
		return memberOffers.offer(assignment.offerId());
	}

	@SchemaMapping(typeName = "MemberOffer")
	List<Condition.Evaluated> explanation(Assignment assignment) {
		return assignment.explanation();
	}

	@SchemaMapping(typeName = "Offer")
	String multiplier(Offer offer) {
		return offer.multiplier() == null ? null : offer.multiplier().toPlainString();
	}

	@SchemaMapping(typeName = "Offer")
	List<String> regions(Offer offer) {
		return offer.regions().stream().sorted().toList();
	}

	@SchemaMapping(typeName = "Offer")
	List<String> tiers(Offer offer) {
		return offer.tiers().stream().sorted().toList();
	}

	@GraphQlExceptionHandler
	GraphQLError invalid(InvalidOffer e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field())).build();
	}

	@GraphQlExceptionHandler
	GraphQLError refused(Refusal.Refused e, DataFetchingEnvironment env) {
		ErrorType type = switch (e.refusal().reason()) {
			case NOT_FOUND -> ErrorType.NOT_FOUND;
			case FORBIDDEN -> ErrorType.FORBIDDEN;
			case CONFLICT, INSUFFICIENT_POINTS -> ErrorType.BAD_REQUEST;
		};
		return GraphqlErrorBuilder.newError(env).errorType(type).message(e.getMessage())
				.extensions(Map.of("code", e.refusal().reason().name())).build();
	}

	private static Set<String> set(List<String> values) {
		return values == null ? Set.of() : new HashSet<>(values);
	}

	private static MemberId member(String id) {
		if (id == null || id.isBlank() || id.length() > 64) {
			throw new InvalidOffer("memberId", "memberId must be 1 to 64 characters");
		}
		return new MemberId(id);
	}
}
