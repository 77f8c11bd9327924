package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.points.application.PayingReferrals;
import io.fidelis.points.application.SettingRules;

/**
 * Member gets member over HTTP: a member's code, a friend enrolling with it, both sides paid
 * once through the ledger, and every refusal.
 */
class ReferralsApiTest extends ApiTest {

	static final String RULES = """
			mutation($p: ID!, $r: Long!, $e: Long!) { setReferralRules(input: {programId: $p, referrerPoints: $r,
			  refereePoints: $e}) { rules { programId referrerPoints refereePoints } } }""";
	static final String REPORT = """
			query($p: ID!, $from: Date!, $to: Date!) { referralReport(programId: $p, from: $from, to: $to) {
			  referrals refereePoints referrerPoints topReferrers(first: 3) { memberId friends points } } }""";
	static final String BONUSES = """
			query($id: ID!) { member(id: $id) { points { available
			  history(types: [REFERRAL_BONUS]) { edges { node { type delta transactionId reason } } } } } }""";

	@Autowired
	SettingRules rules;

	@Autowired
	PayingReferrals referrals;

	String program;
	String annSubject;
	String ann;

	@BeforeEach
	void annIsAMember() {
		program = program("ref-" + key().substring(0, 8)); // a program of its own: rules set in one test stay there
		await().atMost(Duration.ofSeconds(10)).until(() -> rules.rules(program).isPresent());
		annSubject = "ann-" + key();
		ann = graphQl(member(annSubject)).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
	}

	String codeOf(String token, String member) {
		return graphQl(token).document("query($id: ID!) { member(id: $id) { referralCode } }").variable("id", member)
				.execute().path("member.referralCode").entity(String.class).get();
	}

	Map<String, Object> referred(String code) {
		Map<String, Object> input = new HashMap<>(enrollment(program, key() + "@example.com", key()));
		input.put("referralCode", code);
		return input;
	}

	List<Map<String, Object>> bonuses(String member) {
		return graphQl(staffAdmin()).document(BONUSES).variable("id", member).execute()
				.path("member.points.history.edges[*].node").entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				}).get();
	}

	@Test
	void a_friend_enrolling_with_a_code_pays_both_sides_once() {
		graphQl(staffAdmin()).document(RULES).variable("p", program).variable("r", 500).variable("e", 250).execute()
				.path("setReferralRules.rules.referrerPoints").entity(Long.class).isEqualTo(500L)
				.path("setReferralRules.rules.refereePoints").entity(Long.class).isEqualTo(250L);
		graphQl(token("staff", "roles", "analyst")).document("query($p: ID!) { referralRules(programId: $p) { referrerPoints refereePoints } }")
				.variable("p", program).execute().path("referralRules.referrerPoints").entity(Long.class).isEqualTo(500L);

		String code = codeOf(member(annSubject), ann);
		assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}");
		assertThat(codeOf(staffAdmin(), ann)).as("staff see the same code").isEqualTo(code);

		Map<String, Object> bobsEnrollment = referred(code.toLowerCase().replace("-", " "));
		String bob = graphQl(pos()).document(ENROLL).variable("input", bobsEnrollment).execute()
				.path("enrollMember.member.id").entity(String.class).get();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(bonuses(bob)).singleElement().satisfies(e -> {
				assertThat(e).containsEntry("type", "REFERRAL_BONUS").containsEntry("transactionId", "referral:" + bob);
				assertThat(((Number) e.get("delta")).longValue()).isEqualTo(250);
			});
			assertThat(bonuses(ann)).singleElement().satisfies(e -> {
				assertThat(e).containsEntry("type", "REFERRAL_BONUS").containsEntry("transactionId", "referral:" + bob);
				assertThat(((Number) e.get("delta")).longValue()).isEqualTo(500);
			});
		});

		// bob's data export names who referred him
		graphQl(staffAdmin()).document("query($id: ID!) { exportMemberData(memberId: $id) { member { referredBy } } }")
				.variable("id", bob).execute().path("exportMemberData.member.referredBy").entity(String.class).isEqualTo(ann);

		// ann sees who came: a first name and a day, nothing more
		String annsToken = member(annSubject);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl(annsToken).document("""
				query($id: ID!) { member(id: $id) { referredFriends { totalCount edges { node { firstName enrolledAt } } } } }""")
				.variable("id", ann).execute().path("member.referredFriends.totalCount").entity(Integer.class).isEqualTo(1)
				.path("member.referredFriends.edges[0].node.firstName").entity(String.class).isEqualTo("Alice"));

		// the enrollment retried, and its event handed to points again (a redelivery after a crash): still once
		graphQl(pos()).document(ENROLL).variable("input", bobsEnrollment).execute()
				.path("enrollMember.replayed").entity(Boolean.class).isEqualTo(true)
				.path("enrollMember.member.id").entity(String.class).isEqualTo(bob);
		MemberEnrolled again = new MemberEnrolled(new MemberId(bob), new ProgramId(program), EnrollmentChannel.INTEGRATION,
				java.time.Instant.now(), new MemberId(ann));
		referrals.paid(again);
		referrals.paid(again);
		assertThat(bonuses(bob)).hasSize(1);
		assertThat(bonuses(ann)).hasSize(1);
		graphQl(annsToken).document("query($id: ID!) { member(id: $id) { referredFriends { totalCount } } }").variable("id", ann)
				.execute().path("member.referredFriends.totalCount").entity(Integer.class).isEqualTo(1);
		graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { points { available } } }").variable("id", ann)
				.execute().path("member.points.available").entity(Long.class).isEqualTo(500L);

		// the staff report counts the friend once, with what each side was paid
		graphQl(token("staff", "roles", "analyst")).document(REPORT).variable("p", program).variable("from", today(-1))
				.variable("to", today(1)).execute()
				.path("referralReport.referrals").entity(Integer.class).isEqualTo(1)
				.path("referralReport.refereePoints").entity(Long.class).isEqualTo(250L)
				.path("referralReport.referrerPoints").entity(Long.class).isEqualTo(500L)
				.path("referralReport.topReferrers[0].memberId").entity(String.class).isEqualTo(ann)
				.path("referralReport.topReferrers[0].friends").entity(Integer.class).isEqualTo(1)
				.path("referralReport.topReferrers[0].points").entity(Long.class).isEqualTo(500L);
	}

	static String today(int plusDays) {
		return java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(plusDays).toString();
	}

	@Test
	void a_capped_referrer_is_paid_for_so_many_friends_a_month_and_the_friends_always() {
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setReferralRules(input: {programId: $p, referrerPoints: 40, refereePoints: 10, referrerCap: 1}) {
				  rules { referrerCap capPeriod } } }""").variable("p", program).execute()
				.path("setReferralRules.rules.referrerCap").entity(Integer.class).isEqualTo(1)
				.path("setReferralRules.rules.capPeriod").entity(String.class).isEqualTo("MONTH");
		String code = codeOf(member(annSubject), ann);
		String bob = graphQl(pos()).document(ENROLL).variable("input", referred(code)).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		String cid = graphQl(pos()).document(ENROLL).variable("input", referred(code)).execute()
				.path("enrollMember.member.id").entity(String.class).get();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(bonuses(bob)).hasSize(1);
			assertThat(bonuses(cid)).as("a friend is paid whatever the cap").hasSize(1);
			assertThat(bonuses(ann)).singleElement().satisfies(e -> assertThat(((Number) e.get("delta")).longValue()).isEqualTo(40));
		});
		// both enrollments handed to points again: the one counted is still the one paid, once
		for (String friend : List.of(bob, cid)) {
			referrals.paid(new MemberEnrolled(new MemberId(friend), new ProgramId(program), EnrollmentChannel.INTEGRATION,
					java.time.Instant.now(), new MemberId(ann)));
		}
		assertThat(bonuses(ann)).hasSize(1);
		assertThat(bonuses(cid)).hasSize(1);
		graphQl(staffAdmin()).document(REPORT).variable("p", program).variable("from", today(-1)).variable("to", today(1))
				.execute().path("referralReport.referrals").entity(Integer.class).isEqualTo(2)
				.path("referralReport.refereePoints").entity(Long.class).isEqualTo(20L)
				.path("referralReport.referrerPoints").entity(Long.class).isEqualTo(40L) // the cap paid one friend
				.path("referralReport.topReferrers[0].friends").entity(Integer.class).isEqualTo(2);

		refusedWith(graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setReferralRules(input: {programId: $p, referrerPoints: 40, refereePoints: 10, referrerCap: 0}) {
				  rules { referrerCap } } }""").variable("p", program), "VALIDATION");
		graphQl(staffAdmin()).document("query($p: ID!) { referralRules(programId: $p) { referrerCap } }").variable("p", program)
				.execute().path("referralRules.referrerCap").entity(Integer.class).isEqualTo(1);
	}

	@Test
	void an_erased_referrer_leaves_no_code_and_no_list_of_friends() {
		String code = codeOf(member(annSubject), ann);
		String bob = graphQl(pos()).document(ENROLL).variable("input", referred(code)).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		String friends = "query($id: ID!) { member(id: $id) { referredFriends { totalCount } } }";
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl(staffAdmin()).document(friends).variable("id", ann)
				.execute().path("member.referredFriends.totalCount").entity(Integer.class).isEqualTo(1));

		graphQl(staffAdmin()).document("mutation($id: ID!) { eraseMember(input: {memberId: $id}) { member { status } } }")
				.variable("id", ann).execute().path("eraseMember.member.status").entity(String.class).isEqualTo("CLOSED");
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", referred(code)), "NOT_FOUND");
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> graphQl(staffAdmin()).document(friends).variable("id", ann)
				.execute().path("member.referredFriends.totalCount").entity(Integer.class).isEqualTo(0));
		graphQl(staffAdmin()).document("query($id: ID!) { exportMemberData(memberId: $id) { member { referredBy } } }")
				.variable("id", bob).execute().path("exportMemberData.member.referredBy").entity(String.class).isEqualTo(ann);
	}

	@Test
	void without_rules_a_referral_links_and_pays_nothing() {
		String code = codeOf(member(annSubject), ann);
		String cid = graphQl(pos()).document(ENROLL).variable("input", referred(code)).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		graphQl(staffAdmin()).document("query($p: ID!) { referralRules(programId: $p) { referrerPoints refereePoints } }")
				.variable("p", program).execute().path("referralRules.referrerPoints").entity(Long.class).isEqualTo(0L);
		// what points does with the enrollment's event, here and now rather than whenever it arrives
		referrals.paid(new MemberEnrolled(new MemberId(cid), new ProgramId(program), EnrollmentChannel.INTEGRATION,
				java.time.Instant.now(), new MemberId(ann)));
		assertThat(bonuses(cid)).isEmpty();
		assertThat(bonuses(ann)).isEmpty();
	}

	@Test
	void bad_or_unusable_codes_are_refused_and_enroll_nobody() {
		String code = codeOf(member(annSubject), ann);
		Map<String, Object> malformed = referred("NOT-A-CODE!");
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", malformed), "VALIDATION");
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", referred("ABCDE-FGHJK")), "NOT_FOUND");

		// another program's member's code names nobody here
		String other = program("globex-" + key().substring(0, 8));
		Map<String, Object> elsewhere = new HashMap<>(enrollment(other, key() + "@example.com", key()));
		elsewhere.put("referralCode", code);
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", elsewhere), "NOT_FOUND");

		// a friend on the referrer's own device or payment card is the referrer
		Map<String, Object> gusEnrollment = new HashMap<>(enrollment(program, key() + "@example.com", key()));
		gusEnrollment.put("deviceId", "app-install-" + key());
		gusEnrollment.put("paymentFingerprint", "fp_" + key().substring(0, 8));
		String gus = graphQl(pos()).document(ENROLL).variable("input", gusEnrollment).execute()
				.path("enrollMember.member.id").entity(String.class).get();
		for (String given : List.of("deviceId", "paymentFingerprint")) {
			Map<String, Object> self = referred(codeOf(staffAdmin(), gus));
			self.put(given, gusEnrollment.get(given));
			refusedWith(graphQl(pos()).document(ENROLL).variable("input", self), "CONFLICT");
		}
		Map<String, Object> spaced = referred(code);
		spaced.put("deviceId", "not a fingerprint");
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", spaced), "VALIDATION");

		graphQl(staffAdmin()).document("""
				mutation($m: ID!) { changeMemberStatus(input: {memberId: $m, status: SUSPENDED, reason: "fraud check"}) {
				  member { status } } }""").variable("m", ann).execute();
		Map<String, Object> dan = referred(code);
		refusedWith(graphQl(pos()).document(ENROLL).variable("input", dan), "CONFLICT");
		graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { referralCode } }").variable("id", ann).execute()
				.path("member.referralCode").valueIsNull();

		// the refused person enrolls without the code afterwards: nothing of theirs was kept
		dan.remove("referralCode");
		graphQl(pos()).document(ENROLL).variable("input", dan).execute().path("enrollMember.replayed").entity(Boolean.class)
				.isEqualTo(false);
	}

	@Test
	void another_member_cannot_read_a_code_and_only_staff_admins_set_rules() {
		String bobSubject = "bob-" + key();
		graphQl(member(bobSubject)).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key())).execute();
		refusedWith(graphQl(member(bobSubject)).document("query($id: ID!) { member(id: $id) { referralCode } }")
				.variable("id", ann), "FORBIDDEN");

		for (String caller : List.of(token("staff", "roles", "operator"), pos(), member(annSubject))) {
			refusedWith(graphQl(caller).document(RULES).variable("p", program).variable("r", 1).variable("e", 1), "FORBIDDEN");
		}
		refusedWith(graphQl(token("staff", "roles", "admin", "programs", "globex")).document(RULES).variable("p", program)
				.variable("r", 1).variable("e", 1), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(RULES).variable("p", program).variable("r", -1).variable("e", 1), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(RULES).variable("p", program).variable("r", 1).variable("e", 1_000_000_000_001L),
				"VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(RULES).variable("p", "nope-" + key().substring(0, 8)).variable("r", 1)
				.variable("e", 1), "NOT_FOUND");
		graphQl(staffAdmin()).document("query($p: ID!) { referralRules(programId: $p) { referrerPoints refereePoints } }")
				.variable("p", program).execute().path("referralRules.referrerPoints").entity(Long.class).isEqualTo(0L);

		// the report: staff of the program only, over a sensible range
		for (String caller : List.of(pos(), member(annSubject), token("staff", "roles", "analyst", "programs", "globex"))) {
			refusedWith(graphQl(caller).document(REPORT).variable("p", program).variable("from", today(-1)).variable("to", today(1)),
					"FORBIDDEN");
		}
		refusedWith(graphQl(staffAdmin()).document(REPORT).variable("p", program).variable("from", today(1)).variable("to", today(-1)),
				"VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(REPORT).variable("p", program).variable("from", today(-400)).variable("to", today(0)),
				"VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(REPORT.replace("first: 3", "first: 0")).variable("p", program)
				.variable("from", today(-1)).variable("to", today(1)), "VALIDATION");
		graphQl(staffAdmin()).document(REPORT).variable("p", "nope-" + key().substring(0, 8)).variable("from", today(-1))
				.variable("to", today(1)).execute().path("referralReport").valueIsNull();
	}
}
