package io.fidelis.points.adapter.in.graphql;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;
import io.fidelis.members.MemberIdentifier;
import io.fidelis.members.ProgramId;
import io.fidelis.points.application.ManagingMerchants;
import io.fidelis.points.application.RecordingPurchases;
import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.Purchase;
import io.fidelis.points.domain.PurchaseLine;
import io.fidelis.points.domain.Store;

/** Purchases and returns at the till; stores, partners and category rates for staff. */
@Controller
class PurchaseController {

	private final RecordingPurchases purchases;
	private final ManagingMerchants merchants;

	PurchaseController(RecordingPurchases purchases, ManagingMerchants merchants) {
		this.purchases = purchases;
		this.merchants = merchants;
	}

	record MemberIdentifierInput(String memberId, String cardNumber, String externalId, String email) {
	}

	record PurchaseLineInput(String sku, String category, BigDecimal quantity, BigDecimal unitPrice) {
	}

	record RecordPurchaseInput(String programId, MemberIdentifierInput member, String orderId, String store,
			String partner, Channel channel, String region, Currency currency, List<PurchaseLineInput> lines,
			BigDecimal total) {
	}

	record PurchasePayload(String memberId, String orderId, long pointsEarned, long balance, long pendingPoints,
			List<LinePoints> lines, boolean replayed) {
	}

	record LinePoints(String sku, String points) {
	}

	record ReturnLineInput(String sku, BigDecimal quantity) {
	}

	record RecordReturnInput(String orderId, String returnId, List<ReturnLineInput> lines) {
	}

	record ReturnPayload(String memberId, String orderId, String returnId, long pointsReversed, long balance,
			long pendingPoints, boolean replayed) {
	}

	record StoreInput(String programId, String storeId, String name, String region, Double latitude, Double longitude) {
	}

	record PartnerInput(String programId, String partnerId, String name, List<EarnRateInput> earnRates,
			BigDecimal issueCost, BigDecimal redemptionValue, Currency settlementCurrency) {
	}

	record CategoryRateInput(String category, CategoryRate.Basis basis, BigDecimal points) {
	}

	record CategoryRatesInput(String programId, List<CategoryRateInput> rates) {
	}

	record EarnRateView(String currency, String pointsPerUnit, String rounding) {
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	PurchasePayload recordPurchase(@Argument RecordPurchaseInput input, @AuthenticationPrincipal Caller caller) {
		MemberIdentifierInput m = input.member();
		Purchase purchase = new Purchase(input.orderId(), input.store(), input.partner(), input.channel(),
				input.region() == null ? null : input.region().strip().toUpperCase(Locale.ROOT),
				input.currency() == null ? null : input.currency().getCurrencyCode(),
				input.lines().stream().map(l -> new PurchaseLine(l.sku(), l.category(), decimal("quantity", l.quantity()),
						decimal("unitPrice", l.unitPrice()))).toList(), decimal("total", input.total()));
		RecordingPurchases.Outcome outcome = purchases.recordPurchase(caller, program(input.programId()),
				new MemberIdentifier(m.memberId(), m.cardNumber(), m.externalId(), m.email()), purchase);
		if (outcome instanceof RecordingPurchases.Outcome.Refused refused) {
			throw new Refused(refused.refusal());
		}
		RecordingPurchases.Outcome.Recorded r = (RecordingPurchases.Outcome.Recorded) outcome;
		return new PurchasePayload(r.memberId(), r.orderId(), r.points(), r.available(), r.pending(),
				r.lines().stream().map(l -> new LinePoints(l.sku(), l.points().toPlainString())).toList(), r.replayed());
	}

	@MutationMapping
	@PreAuthorize("hasAuthority('SCOPE_points:write')")
	ReturnPayload recordReturn(@Argument RecordReturnInput input, @AuthenticationPrincipal Caller caller) {
		Map<String, BigDecimal> lines = null;
		if (input.lines() != null) {
			lines = new LinkedHashMap<>();
			for (ReturnLineInput l : input.lines()) {
				lines.merge(l.sku(), decimal("quantity", l.quantity()), BigDecimal::add);
			}
		}
		RecordingPurchases.Outcome outcome = purchases.recordReturn(caller, input.orderId(), input.returnId(), lines);
		if (outcome instanceof RecordingPurchases.Outcome.Refused refused) {
			throw new Refused(refused.refusal());
		}
		RecordingPurchases.Outcome.Returned r = (RecordingPurchases.Outcome.Returned) outcome;
		return new ReturnPayload(r.memberId(), r.orderId(), r.returnId(), r.points(), r.available(), r.pending(),
				r.replayed());
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	DefineStorePayload defineStore(@Argument StoreInput input, @AuthenticationPrincipal Caller caller) {
		ProgramId program = allowed(caller, input.programId());
		Store store = new Store(program.value(), input.storeId(), input.name(), input.region(), input.latitude(),
				input.longitude());
		merchants.defineStore(store);
		return new DefineStorePayload(store);
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	DefinePartnerPayload definePartner(@Argument PartnerInput input, @AuthenticationPrincipal Caller caller) {
		ProgramId program = allowed(caller, input.programId());
		Map<String, EarnRate> rates = new LinkedHashMap<>();
		for (EarnRateInput r : input.earnRates()) {
			rates.put(r.currency().getCurrencyCode(), new EarnRate(decimal("pointsPerUnit", r.pointsPerUnit()), r.roundingOrDown()));
		}
		Partner partner = new Partner(program.value(), input.partnerId(), input.name(), rates,
				decimal("issueCost", input.issueCost()), decimal("redemptionValue", input.redemptionValue()),
				input.settlementCurrency() == null ? null : input.settlementCurrency().getCurrencyCode());
		merchants.definePartner(partner);
		return new DefinePartnerPayload(partner);
	}

	@MutationMapping
	@PreAuthorize("hasRole('STAFF_ADMIN')")
	SetCategoryRatesPayload setCategoryRates(@Argument CategoryRatesInput input, @AuthenticationPrincipal Caller caller) {
		ProgramId program = allowed(caller, input.programId());
		List<CategoryRate> rates = input.rates().stream()
				.map(r -> new CategoryRate(r.category(), r.basis(), decimal("points", r.points()))).toList();
		merchants.setCategoryRates(program.value(), rates);
		return new SetCategoryRatesPayload(merchants.categoryRates(program.value()));
	}

	record DefineStorePayload(Store store) {
	}

	record DefinePartnerPayload(Partner partner) {
	}

	record SetCategoryRatesPayload(List<CategoryRate> rates) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF') or hasAuthority('SCOPE_points:read')")
	ListConnection<Store> stores(@Argument String programId, @Argument Integer first, @Argument String after,
			@AuthenticationPrincipal Caller caller) {
		List<Store> all = new java.util.ArrayList<>(merchants.stores(allowed(caller, programId).value()));
		all.sort(java.util.Comparator.comparing(Store::storeId));
		return ListConnection.of(all, Store::storeId, first, after, InvalidPoints::new);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF') or hasAuthority('SCOPE_points:read')")
	ListConnection<Partner> partners(@Argument String programId, @Argument Integer first, @Argument String after,
			@AuthenticationPrincipal Caller caller) {
		List<Partner> all = new java.util.ArrayList<>(merchants.partners(allowed(caller, programId).value()));
		all.sort(java.util.Comparator.comparing(Partner::partnerId));
		return ListConnection.of(all, Partner::partnerId, first, after, InvalidPoints::new);
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF') or hasAuthority('SCOPE_points:read')")
	List<CategoryRate> categoryRates(@Argument String programId, @AuthenticationPrincipal Caller caller) {
		return merchants.categoryRates(allowed(caller, programId).value());
	}

	@SchemaMapping(typeName = "Partner")
	List<EarnRateView> earnRates(Partner partner) {
		return partner.earnRates().entrySet().stream().map(e -> new EarnRateView(e.getKey(),
				e.getValue().pointsPerUnit().toPlainString(), e.getValue().rounding().name())).toList();
	}

	@SchemaMapping(typeName = "Partner")
	String issueCost(Partner partner) {
		return partner.issueCost().toPlainString();
	}

	@SchemaMapping(typeName = "Partner")
	String redemptionValue(Partner partner) {
		return partner.redemptionValue().toPlainString();
	}

	@SchemaMapping(typeName = "CategoryRate")
	String points(CategoryRate rate) {
		return rate.points().toPlainString();
	}

	private ProgramId allowed(Caller caller, String programId) {
		ProgramId program = program(programId);
		merchants.refusal(caller, program).ifPresent(r -> {
			throw new Refused(r);
		});
		return program;
	}

	private static ProgramId program(String id) {
		if (id == null || !id.matches("[a-z0-9-]{2,63}")) {
			throw new InvalidPoints("programId", "'" + id + "' is not a program id");
		}
		return new ProgramId(id);
	}

	/** A Decimal the schema parsed already; absent only where the schema lets it be. */
	private static BigDecimal decimal(String field, BigDecimal value) {
		if (value == null) {
			throw new InvalidPoints(field, field + " is needed: a decimal number such as 12.50");
		}
		return value;
	}
}
