package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;

import reactor.core.publisher.Mono;

/** Offers from catalog to till: triggers, reasons, consent, multipliers, rewards, coupons, and who may do what. */
class OffersApiTest extends ApiTest {

	@org.springframework.beans.factory.annotation.Autowired
	io.fidelis.points.application.SettingRules rules;

	static final String CREATE = "mutation($input: OfferInput!) { createOffer(input: $input) { offer { id kind trigger } } }";
	static final String MINE = """
			query($m: ID!) { memberOffers(memberId: $m) { totalCount edges { cursor node { id status couponCode trigger
			  offer { id name kind } explanation { fact operator expected matched actual } } } } }""";
	static final String PURCHASE = """
			mutation($input: RecordPurchaseInput!) { recordPurchase(input: $input) { pointsEarned balance replayed } }""";

	String setUp(String program) {
		program(program);
		graphQl(staffAdmin()).document("mutation($p: ID!) { defineStore(input: {programId: $p, storeId: \"paris-01\", name: \"Paris\", region: \"FR\"}) { store { storeId } } }")
				.variable("p", program).execute().path("defineStore.store.storeId").hasValue();
		return program;
	}

	/** A member who signed up in the app (marketing consent as given) and their token. */
	String[] member(String program, boolean consent) {
		String subject = "offers-" + key();
		String token = member(subject);
		Map<String, Object> input = new HashMap<>(enrollment(program, subject + "@example.com", key()));
		input.put("marketingOptIn", consent);
		String id = graphQl(token).document(ENROLL).variable("input", input).execute().path("enrollMember.member.id")
				.entity(String.class).get();
		return new String[] { id, token };
	}

	Map<String, Object> offer(String program, String name, String kind, String trigger, List<Map<String, Object>> conditions) {
		Map<String, Object> input = new HashMap<>(Map.of("programId", program, "name", name, "kind", kind, "trigger", trigger,
				"validFrom", Instant.now().minusSeconds(60).toString(), "validUntil", Instant.now().plusSeconds(86_400).toString(),
				"conditions", conditions));
		return input;
	}

	String create(Map<String, Object> input) {
		return graphQl(token("staff", "roles", "operator")).document(CREATE).variable("input", input).execute()
				.path("createOffer.offer.id").entity(String.class).get();
	}

	void buyFuel(String program, String member, String orderId, String litres) {
		graphQl(pos()).document(PURCHASE).variable("input", Map.of("programId", program, "member", Map.of("memberId", member),
				"orderId", orderId, "store", "paris-01", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
				"lines", List.of(Map.of("sku", "SP95", "category", "fuel", "quantity", litres, "unitPrice", "2.00")),
				"total", new java.math.BigDecimal(litres).multiply(new java.math.BigDecimal("2.00")).setScale(2).toPlainString()))
				.execute().path("recordPurchase.pointsEarned").hasValue();
	}

	long balance(String member) {
		return graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { points { available } } }").variable("id", member)
				.execute().path("member.points.available").entity(Long.class).get();
	}

	List<Map<String, Object>> mine(String token, String member) {
		return graphQl(token).document(MINE).variable("m", member).execute().path("memberOffers.edges[*].node")
				.entity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get();
	}

	@Test
	void a_purchase_triggers_a_targeted_bonus_with_its_reasons_once_and_only_with_consent() {
		String program = setUp("offers-bonus");
		Map<String, Object> bonus = offer(program, "Fuel fan", "BONUS", "PURCHASE", List.of(
				Map.of("fact", "SPEND_LAST_DAYS", "operator", "GTE", "value", "50", "days", 30),
				Map.of("fact", "BOUGHT_CATEGORY", "operator", "IN", "value", "fuel")));
		bonus.put("bonusPoints", 100);
		String offerId = create(bonus);
		String[] ann = member(program, true);
		String[] bob = member(program, false);

		buyFuel(program, ann[0], "F-1", "30"); // 60 €
		buyFuel(program, bob[0], "F-2", "30");
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			List<Map<String, Object>> offers = mine(ann[1], ann[0]);
			assertThat(offers).singleElement().satisfies(o -> {
				assertThat(o).containsEntry("status", "REDEEMED");
				assertThat(o.get("explanation").toString()).contains("SPEND_LAST_DAYS(30 days)").contains("actual=60")
						.contains("actual=fuel");
			});
			assertThat(balance(ann[0])).isEqualTo(160); // 60 earned + 100 bonus
		});
		assertThat(mine(bob[1], bob[0])).as("no marketing consent: no personalized offer").isEmpty();

		graphQl(pos()).document(PURCHASE).variable("input", Map.of("programId", program, "member", Map.of("memberId", ann[0]),
				"orderId", "F-1", "store", "paris-01", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
				"lines", List.of(Map.of("sku", "SP95", "category", "fuel", "quantity", "30", "unitPrice", "2.00")), "total", "60.00"))
				.execute().path("recordPurchase.replayed").entity(Boolean.class).isEqualTo(true);
		buyFuel(program, ann[0], "F-3", "5"); // 10 € more: a new purchase; capPerMember 1 holds
		await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(balance(ann[0])).isEqualTo(170));
		assertThat(mine(ann[1], ann[0])).hasSize(1);
		graphQl(staffAdmin()).document("query($o: ID!) { offerPerformance(offerId: $o) { assigned redeemed pointsAwarded } }")
				.variable("o", offerId).execute().path("offerPerformance.assigned").entity(Long.class).isEqualTo(1L)
				.path("offerPerformance.pointsAwarded").entity(Long.class).isEqualTo(100L);
		graphQl(staffAdmin()).document("query($p: ID!) { offers(programId: $p) { edges { node { conditions { fact operator value days } } } } }")
				.variable("p", program).execute().path("offers.edges[0].node.conditions[0].fact").entity(String.class).isEqualTo("SPEND_LAST_DAYS")
				.path("offers.edges[0].node.conditions[0].operator").entity(String.class).isEqualTo("GTE")
				.path("offers.edges[0].node.conditions[1].fact").entity(String.class).isEqualTo("BOUGHT_CATEGORY");
		graphQl(token("staff", "roles", "analyst")).document("query($p: ID!) { offerReport(programId: $p) { totalCount edges { node { offerId kind assigned redeemed pointsAwarded } } } }")
				.variable("p", program).execute().path("offerReport.edges[0].node.offerId").entity(String.class).isEqualTo(offerId)
				.path("offerReport.edges[0].node.kind").entity(String.class).isEqualTo("BONUS")
				.path("offerReport.edges[0].node.redeemed").entity(Long.class).isEqualTo(1L);
		refusedWith(graphQl(ann[1]).document("query($p: ID!) { offerReport(programId: $p) { edges { node { offerId } } } }").variable("p", program),
				"FORBIDDEN");
	}

	@Test
	void a_spent_budget_stops_a_bonus_and_takes_nothing_from_its_caps() {
		String program = setUp("offers-budget");
		Map<String, Object> bonus = offer(program, "Welcome", "BONUS", "ENROLLMENT", List.of());
		bonus.put("bonusPoints", 60);
		bonus.put("pointsBudget", 100);
		bonus.put("personalized", false);
		String offerId = create(bonus);
		String[] first = member(program, true);
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(balance(first[0])).isEqualTo(60));
		String[] second = member(program, true);
		await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(mine(second[1], second[0])).isEmpty());
		assertThat(balance(second[0])).isZero();
		graphQl(staffAdmin()).document("query($o: ID!) { offerPerformance(offerId: $o) { assigned pointsAwarded } }")
				.variable("o", offerId).execute().path("offerPerformance.assigned").entity(Long.class).isEqualTo(1L)
				.path("offerPerformance.pointsAwarded").entity(Long.class).isEqualTo(60L);
	}

	@Test
	void a_multiplier_applies_once_activated_and_only_to_its_category() {
		String program = setUp("offers-multiply");
		Map<String, Object> double_ = offer(program, "Double fuel", "MULTIPLIER", "ENROLLMENT", List.of());
		double_.put("multiplier", "2");
		double_.put("multiplierCategory", "fuel");
		create(double_);
		String[] cy = member(program, true);
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(mine(cy[1], cy[0])).hasSize(1));
		String assignment = (String) mine(cy[1], cy[0]).get(0).get("id");

		buyFuel(program, cy[0], "M-1", "10"); // 20 € at 1 point per euro, not activated yet
		assertThat(balance(cy[0])).isEqualTo(20);
		refusedWith(graphQl(member("someone-else")).document("mutation($a: ID!) { activateOffer(input: {assignmentId: $a}) { memberOffer { status } } }")
				.variable("a", assignment), "FORBIDDEN");
		graphQl(cy[1]).document("mutation($a: ID!) { activateOffer(input: {assignmentId: $a}) { memberOffer { status } } }").variable("a", assignment)
				.execute().path("activateOffer.memberOffer.status").entity(String.class).isEqualTo("ACTIVATED");
		buyFuel(program, cy[0], "M-2", "10"); // 20 € × 2
		assertThat(balance(cy[0])).isEqualTo(60);
		// a retry of the order recorded before activation answers as it did then, not at today's multiplier
		graphQl(pos()).document(PURCHASE).variable("input", Map.of("programId", program, "member", Map.of("memberId", cy[0]),
				"orderId", "M-1", "store", "paris-01", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
				"lines", List.of(Map.of("sku", "SP95", "category", "fuel", "quantity", "10", "unitPrice", "2.00")), "total", "20.00"))
				.execute().path("recordPurchase.replayed").entity(Boolean.class).isEqualTo(true)
				.path("recordPurchase.pointsEarned").entity(Long.class).isEqualTo(20L);
		graphQl(pos()).document(PURCHASE).variable("input", Map.of("programId", program, "member", Map.of("memberId", cy[0]),
				"orderId", "M-3", "store", "paris-01", "channel", "IN_STORE", "region", "FR", "currency", "EUR",
				"lines", List.of(Map.of("sku", "BREAD", "category", "bakery", "quantity", "1", "unitPrice", "5.00")), "total", "5.00"))
				.execute().path("recordPurchase.pointsEarned").entity(Long.class).isEqualTo(5L);
	}

	@Test
	void a_reward_cheaper_than_the_programs_smallest_redemption_is_refused_when_created() {
		String program = setUp("offers-minimum");
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setPointRules(input: {programId: $p, earnRates: [{currency: "EUR", pointsPerUnit: "1"}],
				  minimumRedemption: 100, expiry: NEVER, returns: WITHIN_BALANCE}) { rules { minimumRedemption } } }""")
				.variable("p", program).execute().path("setPointRules.rules.minimumRedemption").entity(Long.class).isEqualTo(100L);
		Map<String, Object> cheap = offer(program, "Sticker", "REWARD", "ENROLLMENT", List.of());
		cheap.put("rewardCost", 50);
		cheap.put("personalized", false);
		refusedWith(graphQl(token("staff", "roles", "operator")).document(CREATE).variable("input", cheap), "VALIDATION");
		graphQl(token("staff", "roles", "operator")).document("query($p: ID!) { offers(programId: $p) { totalCount edges { node { id } } } }")
				.variable("p", program).execute().path("offers.totalCount").entity(Integer.class).isEqualTo(0);

		cheap.put("rewardCost", 100);
		assertThat(create(cheap)).startsWith("off_");
	}

	@Test
	void rewards_spend_points_once_and_coupons_work_once_at_the_till() {
		String program = setUp("offers-rewards");
		Map<String, Object> reward = offer(program, "Free car wash", "REWARD", "ENROLLMENT", List.of());
		reward.put("rewardCost", 50);
		reward.put("personalized", false);
		create(reward);
		Map<String, Object> coupon = offer(program, "10% off", "COUPON", "ENROLLMENT", List.of());
		coupon.put("couponDiscount", "10% off");
		coupon.put("personalized", false);
		create(coupon);
		String[] di = member(program, false);
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(mine(di[1], di[0])).hasSize(2));
		List<Map<String, Object>> offers = mine(di[1], di[0]);
		String rewardId = offers.stream().filter(o -> o.get("offer").toString().contains("REWARD")).findFirst().orElseThrow().get("id").toString();
		String code = offers.stream().filter(o -> o.get("couponCode") != null).findFirst().orElseThrow().get("couponCode").toString();

		String redeem = "mutation($a: ID!) { redeemReward(input: {assignmentId: $a}) { memberOffer { status } } }";
		refusedWith(graphQl(di[1]).document(redeem).variable("a", rewardId), "INSUFFICIENT_POINTS");
		buyFuel(program, di[0], "R-1", "40"); // 80 points
		graphQl(di[1]).document(redeem).variable("a", rewardId).execute().path("redeemReward.memberOffer.status").entity(String.class).isEqualTo("REDEEMED");
		graphQl(di[1]).document(redeem).variable("a", rewardId).execute().path("redeemReward.memberOffer.status").entity(String.class).isEqualTo("REDEEMED");
		assertThat(balance(di[0])).as("spent once").isEqualTo(30);

		String check = "query($c: String!) { checkCoupon(code: $c) { status memberId offer { couponDiscount } } }";
		String use = "mutation($c: String!) { redeemCoupon(input: {code: $c}) { coupon { status } } }";
		graphQl(pos()).document(check).variable("c", code).execute().path("checkCoupon.status").entity(String.class).isEqualTo("VALID")
				.path("checkCoupon.memberId").entity(String.class).isEqualTo(di[0]);
		refusedWith(graphQl(di[1]).document(use).variable("c", code), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(use).variable("c", code), "FORBIDDEN");
		graphQl(pos()).document(use).variable("c", code.toLowerCase()).execute().path("redeemCoupon.coupon.status").entity(String.class).isEqualTo("USED");
		refusedWith(graphQl(pos()).document(use).variable("c", code), "CONFLICT");
		refusedWith(graphQl(pos()).document(use).variable("c", "NOPE000000"), "NOT_FOUND");
		graphQl(pos()).document(check).variable("c", code).execute().path("checkCoupon.status").entity(String.class).isEqualTo("USED");
	}

	@Test
	void a_members_offers_come_in_pages_with_the_shared_page_info() {
		String program = setUp("offers-pages");
		for (String name : List.of("Welcome coffee", "Welcome cake", "Welcome wash")) {
			Map<String, Object> coupon = offer(program, name, "COUPON", "ENROLLMENT", List.of());
			coupon.put("couponDiscount", "a free one");
			create(coupon);
		}
		String[] ann = member(program, true);
		String page = """
				query($m: ID!, $after: String) { memberOffers(memberId: $m, first: 2, after: $after) { totalCount
				  edges { cursor node { id } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } }""";
		await().ignoreExceptions().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mine(ann[1], ann[0])).hasSize(3));

		var first = graphQl(ann[1]).document(page).variable("m", ann[0]).execute();
		first.path("memberOffers.totalCount").entity(Integer.class).isEqualTo(3)
				.path("memberOffers.edges").entityList(Object.class).hasSize(2)
				.path("memberOffers.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(false)
				.path("memberOffers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String start = first.path("memberOffers.edges[0].cursor").entity(String.class).get();
		first.path("memberOffers.pageInfo.startCursor").entity(String.class).isEqualTo(start);
		String end = first.path("memberOffers.pageInfo.endCursor").entity(String.class).get();

		graphQl(ann[1]).document(page).variable("m", ann[0]).variable("after", end).execute()
				.path("memberOffers.edges").entityList(Object.class).hasSize(1)
				.path("memberOffers.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true)
				.path("memberOffers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
	}

	@Test
	void bad_offers_and_wrong_callers_are_refused() {
		String program = setUp("offers-bad");
		Map<String, Object> backwards = offer(program, "Backwards", "BONUS", "PURCHASE", List.of());
		backwards.put("bonusPoints", 10);
		backwards.put("validUntil", Instant.now().minusSeconds(3_600).toString());
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", backwards), "VALIDATION");
		Map<String, Object> contradictory = offer(program, "Impossible", "BONUS", "PURCHASE", List.of(
				Map.of("fact", "SPEND_LAST_DAYS", "operator", "GTE", "value", "100", "days", 30),
				Map.of("fact", "SPEND_LAST_DAYS", "operator", "LTE", "value", "50", "days", 30)));
		contradictory.put("bonusPoints", 10);
		graphQl(staffAdmin()).document(CREATE).variable("input", contradictory).execute().errors()
				.satisfy(e -> assertThat(e.get(0).getMessage()).contains("contradict"));
		Map<String, Object> twice = offer(program, "Twice", "BONUS", "PURCHASE", List.of(
				Map.of("fact", "TIER", "operator", "EQ", "value", "Gold"), Map.of("fact", "TIER", "operator", "EQ", "value", "Gold")));
		twice.put("bonusPoints", 10);
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", twice), "VALIDATION");
		Map<String, Object> weak = offer(program, "Half", "MULTIPLIER", "PURCHASE", List.of());
		weak.put("multiplier", "0.5");
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", weak), "VALIDATION");
		Map<String, Object> lazy = offer(program, "Come back", "BONUS", "INACTIVITY", List.of());
		lazy.put("bonusPoints", 10);
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", lazy), "VALIDATION");
		Map<String, Object> fine = offer(program, "Fine", "BONUS", "PURCHASE", List.of());
		fine.put("bonusPoints", 10);
		refusedWith(graphQl(member("mallory")).document(CREATE).variable("input", fine), "FORBIDDEN");
		refusedWith(graphQl(pos()).document(CREATE).variable("input", fine), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "analyst")).document(CREATE).variable("input", fine), "FORBIDDEN");
		refusedWith(graphQl(token("staff", "roles", "admin", "programs", "elsewhere")).document(CREATE).variable("input", fine), "FORBIDDEN");
		Map<String, Object> nowhere = new HashMap<>(fine);
		nowhere.put("programId", "no-such-program");
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", nowhere), "NOT_FOUND");

		String[] eve = member(program, true);
		String[] fay = member(program, true);
		refusedWith(graphQl(fay[1]).document(MINE).variable("m", eve[0]), "FORBIDDEN");
		refusedWith(graphQl(pos()).document(MINE).variable("m", eve[0]), "FORBIDDEN");
		refusedWith(graphQl(fay[1]).document("mutation { activateOffer(input: {assignmentId: \"asg_nope\"}) { memberOffer { status } } }"), "NOT_FOUND");
	}

	@Test
	void preview_and_the_inactivity_schedule_are_re_runnable() {
		String program = setUp("offers-schedule");
		String[] gil = member(program, true);
		member(program, true);
		buyFuel(program, gil[0], "S-1", "10");
		Map<String, Object> comeBack = offer(program, "We miss you", "BONUS", "INACTIVITY", List.of(
				Map.of("fact", "DAYS_SINCE_LAST_PURCHASE", "operator", "GTE", "value", "0")));
		comeBack.put("bonusPoints", 25);
		String offerId = create(comeBack);
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
				graphQl(staffAdmin()).document("query($o: ID!) { previewOffer(offerId: $o) { matching memberIds } }")
						.variable("o", offerId).execute().path("previewOffer.matching").entity(Integer.class).isEqualTo(1)
						.path("previewOffer.memberIds[0]").entity(String.class).isEqualTo(gil[0]));
		String run = "mutation($p: ID!) { runOfferSchedules(input: {programId: $p}) { assigned } }";
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
				graphQl(staffAdmin()).document(run).variable("p", program).execute().path("runOfferSchedules.assigned").entity(Integer.class)
						.isEqualTo(1));
		graphQl(staffAdmin()).document(run).variable("p", program).execute().path("runOfferSchedules.assigned").entity(Integer.class).isEqualTo(0);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(balance(gil[0])).isEqualTo(45));
	}

	@Test
	void birthday_offers_go_out_once_a_year_to_members_born_this_month() {
		String program = setUp("offers-birthday");
		java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
		String born = today.minusYears(30).withDayOfMonth(1).toString();
		String otherMonth = today.minusYears(30).withDayOfMonth(1).minusMonths(6).toString();
		String[] ids = new String[2];
		String[] dates = { born, otherMonth };
		for (int i = 0; i < 2; i++) {
			Map<String, Object> input = new HashMap<>(enrollment(program, key() + "@example.com", key()));
			input.put("birthDate", dates[i]);
			ids[i] = graphQl(pos()).document(ENROLL).variable("input", input).execute().path("enrollMember.member.id")
					.entity(String.class).get();
		}
		Map<String, Object> bad = new HashMap<>(enrollment(program, key() + "@example.com", key()));
		bad.put("birthDate", today.plusDays(1).toString());
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", bad), "VALIDATION");
		bad.put("birthDate", "17/04/1990");
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", bad), "VALIDATION");

		Map<String, Object> gift = offer(program, "Happy birthday", "BONUS", "BIRTHDAY", List.of(
				Map.of("fact", "BIRTH_MONTH", "operator", "EQ", "value", "CURRENT")));
		gift.put("bonusPoints", 50);
		gift.put("personalized", false);
		create(gift);
		String run = "mutation($p: ID!) { runOfferSchedules(input: {programId: $p}) { assigned } }";
		await().ignoreExceptions().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
				graphQl(staffAdmin()).document(run).variable("p", program).execute().path("runOfferSchedules.assigned").entity(Integer.class)
						.isEqualTo(1));
		graphQl(staffAdmin()).document(run).variable("p", program).execute().path("runOfferSchedules.assigned").entity(Integer.class).isEqualTo(0);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(balance(ids[0])).isEqualTo(50));
		assertThat(balance(ids[1])).isZero();
		Map<String, Object> wrongMonth = offer(program, "Bad month", "BONUS", "BIRTHDAY", List.of(
				Map.of("fact", "BIRTH_MONTH", "operator", "EQ", "value", "13")));
		wrongMonth.put("bonusPoints", 5);
		refusedWith(graphQl(staffAdmin()).document(CREATE).variable("input", wrongMonth), "VALIDATION");
	}

	@Test
	void offers_arrive_on_the_subscription_as_they_are_assigned() throws Exception {
		String program = setUp("offers-live");
		String[] hal = member(program, true);
		Map<String, Object> bonus = offer(program, "First fill", "BONUS", "PURCHASE", List.of(
				Map.of("fact", "BOUGHT_CATEGORY", "operator", "IN", "value", "fuel")));
		bonus.put("bonusPoints", 5);
		create(bonus);
		var socket = WebSocketGraphQlClient.builder("ws://localhost:" + port + "/graphql-ws", new ReactorNettyWebSocketClient())
				.interceptor(new WebSocketGraphQlClientInterceptor() {
					@Override
					public Mono<Object> connectionInitPayload() {
						return Mono.just(Map.of("Authorization", "Bearer " + hal[1]));
					}
				}).build();
		var first = socket.document("subscription($m: ID!) { offerAssigned(memberId: $m) { offer { name } status } }")
				.variable("m", hal[0]).retrieveSubscription("offerAssigned.offer.name").toEntity(String.class).next()
				.toFuture();
		// the subscription takes note of the offers already there, then follows the member: buy once it follows
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> java.util.regex.Pattern
				.compile("(?m)^fidelis_offers_live_followed(\\{[^}]*})? [1-9][0-9]*\\.0").matcher(http().get()
						.uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult().getResponseBody()).find());
		buyFuel(program, hal[0], "L-1", "5");
		assertThat(first.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("First fill");
	}

	// node(id): any object by its global id, answered as its type's own query answers (the same rules,
	// the same refusals); offer(id) and memberOffer(id) are the single-object queries it answers through

	static final String NODE = """
			query($id: ID!) { node(id: $id) { __typename id
			  ... on Member { name }
			  ... on Program { name }
			  ... on Offer { name kind }
			  ... on MemberOffer { status offer { id } } } }""";

	/** A program's enrollment coupon, the new member who got it (id and token) and their offer's id. */
	record Welcomed(String offerId, String[] member, String assignment) {
	}

	Welcomed welcomed(String program, String name) {
		Map<String, Object> coupon = offer(program, name, "COUPON", "ENROLLMENT", List.of());
		coupon.put("couponDiscount", "a free one");
		String offerId = create(coupon);
		String[] member = member(program, true);
		String assignment = await().ignoreExceptions().atMost(Duration.ofSeconds(10))
				.until(() -> (String) mine(member[1], member[0]).get(0).get("id"), id -> id != null);
		return new Welcomed(offerId, member, assignment);
	}

	@Test
	void every_kind_of_id_finds_its_object_for_a_caller_who_may_see_it() {
		String program = setUp("node-finds");
		Welcomed welcomed = welcomed(program, "Welcome coffee");
		String offerId = welcomed.offerId();
		String[] ann = welcomed.member();
		String assignment = welcomed.assignment();

		graphQl(staffAdmin()).document(NODE).variable("id", ann[0]).execute()
				.path("node.__typename").entity(String.class).isEqualTo("Member")
				.path("node.id").entity(String.class).isEqualTo(ann[0])
				.path("node.name").entity(String.class).isEqualTo("Alice Martin");
		graphQl(ann[1]).document(NODE).variable("id", ann[0]).execute()
				.path("node.__typename").entity(String.class).isEqualTo("Member");
		graphQl(ann[1]).document(NODE).variable("id", program).execute()
				.path("node.__typename").entity(String.class).isEqualTo("Program")
				.path("node.name").entity(String.class).isEqualTo("Acme Rewards");
		graphQl(staffAdmin()).document(NODE).variable("id", offerId).execute()
				.path("node.__typename").entity(String.class).isEqualTo("Offer")
				.path("node.kind").entity(String.class).isEqualTo("COUPON");
		graphQl(ann[1]).document(NODE).variable("id", assignment).execute()
				.path("node.__typename").entity(String.class).isEqualTo("MemberOffer")
				.path("node.status").entity(String.class).isEqualTo("ASSIGNED")
				.path("node.offer.id").entity(String.class).isEqualTo(offerId);

		// the single-object queries node answers through
		graphQl(staffAdmin()).document("query($id: ID!) { offer(id: $id) { id name } }").variable("id", offerId).execute()
				.path("offer.name").entity(String.class).isEqualTo("Welcome coffee");
		graphQl(staffAdmin()).document("query($id: ID!) { memberOffer(id: $id) { id status } }").variable("id", assignment)
				.execute().path("memberOffer.id").entity(String.class).isEqualTo(assignment);
	}

	@Test
	void node_refuses_exactly_what_the_types_own_query_refuses() {
		String program = setUp("node-refuses");
		Welcomed welcomed = welcomed(program, "Welcome cake");
		String offerId = welcomed.offerId();
		String[] ann = welcomed.member();
		String assignment = welcomed.assignment();
		String[] bob = member(program, true);

		refusedWith(graphQl(bob[1]).document(NODE).variable("id", ann[0]), "FORBIDDEN"); // another member
		refusedWith(graphQl(bob[1]).document(NODE).variable("id", assignment), "FORBIDDEN"); // another member's offer
		refusedWith(graphQl(ann[1]).document(NODE).variable("id", offerId), "FORBIDDEN"); // the catalog is staff's
		refusedWith(graphQl(pos()).document(NODE).variable("id", assignment), "FORBIDDEN"); // a till
		refusedWith(graphQl(token("staff", "roles", "admin", "programs", "elsewhere")).document(NODE).variable("id", ann[0]),
				"FORBIDDEN"); // staff of another program
		refusedWith(graphQl(staffAdmin()).document(NODE).variable("id", "off_nosuchoffer"), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(NODE).variable("id", "asg_nosuchassignment"), "NOT_FOUND");
		refusedWith(graphQl(staffAdmin()).document(NODE).variable("id", "x_what"), "NOT_FOUND");
		refusedWith(graphQl(bob[1]).document("query($id: ID!) { memberOffer(id: $id) { id } }").variable("id", assignment),
				"FORBIDDEN");
		refusedWith(graphQl(ann[1]).document("query($id: ID!) { offer(id: $id) { id } }").variable("id", offerId),
				"FORBIDDEN");
		assertThat(graphQl(staffAdmin()).document("query($id: ID!) { node(id: $id) { id } }").variable("id", ann[0])
				.execute().path("node.id").entity(String.class).get()).isEqualTo(ann[0]);
	}

	@Test
	void the_catalog_pages_oldest_first_and_refuses_a_cursor_it_never_gave() {
		String program = setUp("catalog-pages");
		List<String> created = new java.util.ArrayList<>();
		for (String name : List.of("First", "Second", "Third")) {
			Map<String, Object> input = offer(program, name, "BONUS", "PURCHASE", List.of());
			input.put("bonusPoints", 10);
			created.add(create(input));
		}
		String page = """
				query($p: ID!, $first: Int, $after: String) { offers(programId: $p, first: $first, after: $after) {
				  totalCount edges { cursor node { id name } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } }""";
		var first = graphQl(staffAdmin()).document(page).variable("p", program).variable("first", 2).execute();
		first.path("offers.totalCount").entity(Integer.class).isEqualTo(3)
				.path("offers.edges[*].node.name").entityList(String.class).containsExactly("First", "Second")
				.path("offers.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(false)
				.path("offers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String end = first.path("offers.pageInfo.endCursor").entity(String.class).get();
		assertThat(first.path("offers.edges[1].cursor").entity(String.class).get()).isEqualTo(end);

		graphQl(staffAdmin()).document(page).variable("p", program).variable("first", 2).variable("after", end).execute()
				.path("offers.edges[*].node.id").entityList(String.class).containsExactly(created.get(2))
				.path("offers.pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(true)
				.path("offers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);

		refusedWith(graphQl(staffAdmin()).document(page).variable("p", program).variable("after", "not-a-cursor"), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(page).variable("p", program).variable("after",
				java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("off_elsewhere".getBytes())), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(page).variable("p", program).variable("first", 0), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(page).variable("p", program).variable("first", 101), "VALIDATION");
		refusedWith(graphQl(member("someone")).document(page).variable("p", program), "FORBIDDEN");
	}

	@Test
	void the_enrollment_trigger_spelled_as_before_is_still_taken_and_answered_as_ENROLLMENT() {
		String program = setUp("offers-spelling");
		Map<String, Object> bonus = offer(program, "Welcome", "BONUS", "ENROLMENT", List.of()); // a JSON variable
		bonus.put("bonusPoints", 5);
		bonus.put("personalized", false);
		graphQl(staffAdmin()).document(CREATE).variable("input", bonus).execute()
				.path("createOffer.offer.trigger").entity(String.class).isEqualTo("ENROLLMENT");
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { createOffer(input: {programId: $p, name: "Hello", kind: BONUS, bonusPoints: 5,
				  trigger: ENROLMENT, personalized: false, validFrom: "2026-01-01T00:00:00Z", validUntil: "2099-01-01T00:00:00Z"}) {
				  offer { trigger } } }""").variable("p", program).execute() // a literal in the document
				.path("createOffer.offer.trigger").entity(String.class).isEqualTo("ENROLLMENT");
		String[] ann = member(program, true);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mine(ann[1], ann[0])).hasSize(2)
				.allSatisfy(o -> assertThat((String) o.get("trigger")).startsWith("ENROLLMENT:")));
	}
}
