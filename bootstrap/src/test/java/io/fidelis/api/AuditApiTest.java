package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;

/**
 * The audit trail: every mutation by staff and integration clients is recorded with who, what,
 * which program and member, when and how it ended, refused ones included; staff admins read it
 * a page at a time, and an admin bound to programs reads only theirs.
 */
class AuditApiTest extends ApiTest {

	static final String LOG = """
			query($p: ID, $m: ID, $first: Int, $after: String) { auditLog(programId: $p, memberId: $m, first: $first, after: $after) {
			  nextCursor entries { id at operation outcome callerKind subject roles scopes callerPrograms programId memberIds } } }""";

	List<Map<String, Object>> entries(String token, String program, String member) {
		return graphQl(token).document(LOG).variable("p", program).variable("m", member).variable("first", 200).execute()
				.path("auditLog.entries").entity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
				}).get();
	}

	@Test
	void staffAndClientActionsAreRecordedRefusedOnesIncluded() {
		String program = program("audit-" + key().substring(0, 8));
		String member = graphQl(pos()).document(ENROLL).variable("input", enrollment(program, key() + "@example.com", key()))
				.execute().path("enrollMember.member.id").entity(String.class).get();
		Instant before = Instant.now();
		String support = token("staff", "subject", "agent-7", "roles", "support");
		graphQl(support).document("""
				mutation($m: ID!, $k: String!) { adjustPoints(input: {memberId: $m, points: 25, reason: "goodwill", idempotencyKey: $k}) { replayed } }""")
				.variable("m", member).variable("k", key()).execute().path("adjustPoints.replayed").hasValue();
		// a support agent may not erase: refused at the door, and recorded all the same
		refusedWith(graphQl(support).document("mutation($m: ID!) { eraseMember(input: {memberId: $m}) { member { status } } }")
				.variable("m", member), "FORBIDDEN");
		// bad input, refused by the ledger
		refusedWith(graphQl(pos()).document("""
				mutation($m: ID!) { earnPoints(input: {memberId: $m, points: -5, source: {channel: IN_STORE}, transactionId: "t", idempotencyKey: "audit-neg-1"}) { replayed } }""")
				.variable("m", member), "VALIDATION");
		// a query is not an action
		graphQl(support).document("query($m: ID!) { member(id: $m) { name } }").variable("m", member).execute()
				.path("member.name").hasValue();

		// a client's entries are written in batches just after its answers
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(entries(staffAdmin(), null, member))
				.extracting(e -> e.get("operation") + " " + e.get("outcome") + " by " + e.get("subject"))
				.containsExactly("earnPoints VALIDATION by pos-demo", "eraseMember FORBIDDEN by agent-7",
						"adjustPoints OK by agent-7"));
		List<Map<String, Object>> mine = entries(staffAdmin(), null, member);
		Map<String, Object> adjust = mine.get(2);
		assertThat(adjust).containsEntry("callerKind", "STAFF").containsEntry("roles", List.of("support"))
				.containsEntry("scopes", List.of()).containsEntry("callerPrograms", List.of()).containsEntry("memberIds", List.of(member));
		assertThat(Instant.parse((String) adjust.get("at"))).isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(Instant.now());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(entries(staffAdmin(), program, null))
				.extracting(e -> e.get("operation")).contains("enrollMember"));
		List<Map<String, Object>> ofProgram = entries(staffAdmin(), program, null);
		assertThat(ofProgram).as("the member's program, when the action named only the member")
				.extracting(e -> e.get("operation"))
				.containsExactly("earnPoints", "eraseMember", "adjustPoints", "enrollMember", "defineProgram");
		assertThat(ofProgram.get(3)).containsEntry("callerKind", "CLIENT").containsEntry("programId", program)
				.containsEntry("memberIds", List.of()).containsEntry("outcome", "OK");
		assertThat(ofProgram.get(3).get("scopes").toString()).contains("members:write", "points:write");
	}

	@Test
	void adminsOfOtherProgramsSeeNoneOfItAndOthersMayNotRead() {
		String program = program("audit-" + key().substring(0, 8));
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setTierLadder(input: {programId: $p, tiers: [{name: "Gold", threshold: 100}]}) { ladder { programId } } }""")
				.variable("p", program).execute().path("setTierLadder.ladder.programId").hasValue();
		// a refused action may name a program id that is no program id at all: it is recorded, and every page still reads
		refusedWith(graphQl(staffAdmin()).document("""
				mutation { defineStore(input: {programId: "Not A Program!", storeId: "s1", name: "Store"}) { store { storeId } } }"""),
				"VALIDATION");
		String bound = token("staff", "subject", "admin-elsewhere", "roles", "admin", "programs", "elsewhere");
		assertThat(entries(bound, null, null)).noneMatch(e -> program.equals(e.get("programId")));
		refusedWith(graphQl(bound).document(LOG).variable("p", program), "FORBIDDEN");
		String own = token("staff", "subject", "admin-here", "roles", "admin", "programs", program);
		assertThat(entries(own, null, null)).extracting(e -> e.get("operation")).contains("setTierLadder");
		refusedWith(graphQl(token("staff", "roles", "operator")).document(LOG), "FORBIDDEN");
		refusedWith(graphQl(pos()).document(LOG), "FORBIDDEN");
		refusedWith(graphQl(member("audit-reader")).document(LOG), "FORBIDDEN");
		refusedWith(graphQl(staffAdmin()).document(LOG).variable("first", 0), "VALIDATION");
		refusedWith(graphQl(staffAdmin()).document(LOG).variable("after", "not-a-cursor"), "VALIDATION");
	}

	@Test
	void pagesFollowEachOtherWithoutGapsOrRepeats() {
		String program = program("audit-" + key().substring(0, 8));
		for (int i = 0; i < 5; i++) {
			graphQl(staffAdmin()).document("""
					mutation($p: ID!, $s: ID!) { defineStore(input: {programId: $p, storeId: $s, name: "Store"}) { store { storeId } } }""")
					.variable("p", program).variable("s", "s" + i).execute().path("defineStore.store.storeId").hasValue();
		}
		List<Object> seen = new java.util.ArrayList<>();
		String after = null;
		do {
			Map<String, Object> page = graphQl(staffAdmin()).document(LOG).variable("p", program).variable("first", 2)
					.variable("after", after).execute().path("auditLog")
					.entity(new ParameterizedTypeReference<Map<String, Object>>() {
					}).get();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> entries = (List<Map<String, Object>>) page.get("entries");
			assertThat(entries).hasSizeLessThanOrEqualTo(2);
			entries.forEach(e -> seen.add(e.get("id")));
			after = (String) page.get("nextCursor");
		}
		while (after != null);
		assertThat(seen).hasSize(6).doesNotHaveDuplicates(); // the program's definition and five stores
		assertThat(seen).isSortedAccordingTo(java.util.Comparator.comparing(Object::toString).reversed());
	}

	@Test
	void aStaffActionIsInTheTrailWhenItsAnswerArrives() {
		String program = program("audit-" + key().substring(0, 8));
		// no waiting: the answer itself waited for the entry
		graphQl(staffAdmin()).document("""
				mutation($p: ID!) { setPointRules(input: {programId: $p, earnRates: [{currency: "EUR", pointsPerUnit: "2"}]}) { rules { programId } } }""")
				.variable("p", program).execute().path("setPointRules.rules.programId").hasValue();
		assertThat(entries(staffAdmin(), program, null)).extracting(e -> e.get("operation")).first().isEqualTo("setPointRules");
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.data.mongodb.MongoDatabaseFactory store;

	/** Entries older than fidelis.audit.retention (730 days) leave, removed by the store's own sweep; the rest stay. */
	@Test
	void entriesOlderThanTheRetentionLeaveAndTheRestStay() {
		String program = program("audit-" + key().substring(0, 8));
		for (String p : List.of(program, program)) {
			graphQl(staffAdmin()).document("""
					mutation($p: ID!) { setPointRules(input: {programId: $p, earnRates: [{currency: "EUR", pointsPerUnit: "2"}]}) { rules { programId } } }""")
					.variable("p", p).execute().path("setPointRules.rules.programId").hasValue();
		}
		List<Map<String, Object>> both = entries(staffAdmin(), program, null);
		assertThat(both).extracting(e -> e.get("operation")).startsWith("setPointRules", "setPointRules");
		var entries = store.getMongoDatabase().getCollection("audit_log");
		entries.updateOne(com.mongodb.client.model.Filters.eq("_id", both.get(1).get("id")), com.mongodb.client.model.Updates
				.set("at", java.util.Date.from(Instant.now().minus(Duration.ofDays(730)).minusSeconds(120))));
		await().atMost(Duration.ofSeconds(20))
				.until(() -> entries.find(com.mongodb.client.model.Filters.eq("_id", both.get(1).get("id"))).first() == null);
		assertThat(entries(staffAdmin(), program, null)).extracting(e -> e.get("id")).contains(both.get(0).get("id"))
				.doesNotContain(both.get(1).get("id"));
	}
}
