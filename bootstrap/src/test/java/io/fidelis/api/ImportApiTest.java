package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Bulk import: rows enrolled, bad rows reported by number, a re-run enrolls nobody twice. */
class ImportApiTest extends ApiTest {

	static final String START = "mutation($input: ImportMembersInput!) { importMembers(input: $input) { memberImport { id status total } } }";
	static final String FOLLOW = "query($id: ID!) { memberImport(importId: $id) { status total processed enrolled existing "
			+ "failed errors { row field code message } } }";

	GraphQlTester.Response finished(String importId) {
		await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(graphQl(staffAdmin()).document(FOLLOW)
				.variable("id", importId).execute().path("memberImport.status").entity(String.class).get()));
		return graphQl(staffAdmin()).document(FOLLOW).variable("id", importId).execute();
	}

	@Test
	void aCsvExportIsImportedAndItsBadRowsReportedAndARerunEnrollsNobodyTwice() {
		String program = program("import-" + key().substring(0, 8));
		String csv = """
				email,name,phone,externalId,marketingOptIn,termsVersion
				ann@example.com,"Martin, Ann",+33611111111,crm-1,true,2025-06
				not-an-email,Broken Row,,,false,2025-06
				ben@example.com,Ben Lee,,crm-2,false,2025-06
				ann@example.com,Ann Again,,,false,2025-06
				""";
		double imported = rows("IMPORTED");
		double existing = rows("EXISTING");
		double failed = rows("FAILED");
		String first = "run-" + key();
		graphQl(staffAdmin()).document(START).variable("input", Map.of("importId", first, "programId", program,
				"format", "CSV", "content", csv)).execute().path("importMembers.memberImport.total").entity(Integer.class).isEqualTo(4);

		GraphQlTester.Response report = finished(first);
		report.path("memberImport.enrolled").entity(Integer.class).isEqualTo(2)
				.path("memberImport.failed").entity(Integer.class).isEqualTo(2)
				.path("memberImport.errors[*].row").entityList(Integer.class).containsExactly(2, 4)
				.path("memberImport.errors[0].field").entity(String.class).isEqualTo("email")
				.path("memberImport.errors[1].code").entity(String.class).isEqualTo("CONFLICT");
		graphQl(staffAdmin()).document("query($p: ID!) { memberByIdentifier(programId: $p, externalId: \"crm-1\") { name } }")
				.variable("p", program).execute().path("memberByIdentifier.name").entity(String.class).isEqualTo("Martin, Ann");

		String second = "run-" + key();
		graphQl(staffAdmin()).document(START).variable("input", Map.of("importId", second, "programId", program,
				"format", "CSV", "content", csv)).execute();
		finished(second).path("memberImport.enrolled").entity(Integer.class).isEqualTo(0)
				.path("memberImport.existing").entity(Integer.class).isEqualTo(2)
				.path("memberImport.failed").entity(Integer.class).isEqualTo(2);
		assertThat(rows("IMPORTED")).isEqualTo(imported + 2);
		assertThat(rows("EXISTING")).isEqualTo(existing + 2);
		assertThat(rows("FAILED")).isEqualTo(failed + 4);
		await("none left running").atMost(Duration.ofSeconds(10))
				.until(() -> scraped("fidelis_imports_running", "kind=\"members\"") == 0);
	}

	/** {@code fidelis_imports_rows_total} of member imports with this outcome. */
	private double rows(String outcome) {
		return scraped("fidelis_imports_rows_total", "kind=\"members\"", "outcome=\"" + outcome + "\"");
	}

	@Test
	void ndjsonWorksTooAndABrokenLineIsAReportedRow() {
		String program = program("import-" + key().substring(0, 8));
		String ndjson = """
				{"email": "cat@example.com", "name": "Cat", "marketingOptIn": true}
				{"email": "dan@example.com", "name": oops}
				{"email": "eve@example.com", "name": "Eve", "phone": "+33622222222"}
				""";
		String id = "nd-" + key();
		graphQl(staffAdmin()).document(START).variable("input", Map.of("importId", id, "programId", program,
				"format", "NDJSON", "content", ndjson)).execute();
		finished(id).path("memberImport.enrolled").entity(Integer.class).isEqualTo(2)
				.path("memberImport.errors[*].row").entityList(Integer.class).containsExactly(2);
	}

	@Test
	void importsAreForStaffAdminsAndOperatorsAndBadFilesAreRefusedWhole() {
		String program = program("acme");
		Map<String, Object> input = Map.of("importId", "x-" + key(), "programId", program, "format", "CSV", "content",
				"email,name\nzed@example.com,Zed\n");
		for (String token : List.of(pos(), member("zed"), token("staff", "roles", "support"))) {
			graphQl(token).document(START).variable("input", input).execute().errors().satisfy(errors -> assertThat(errors)
					.allSatisfy(e -> assertThat(e.getExtensions()).containsEntry("code", "FORBIDDEN")));
		}
		graphQl(staffAdmin()).document(START).variable("input", Map.of("importId", "y-" + key(), "programId", program,
				"format", "CSV", "content", "mail,fullname\na@example.com,A\n")).execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "VALIDATION")));
		graphQl(staffAdmin()).document(START).variable("input", Map.of("importId", "z-" + key(), "programId", "nope",
				"format", "CSV", "content", "email,name\na@example.com,A\n")).execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "NOT_FOUND")));
	}

	@org.springframework.beans.factory.annotation.Autowired
	io.fidelis.members.application.ListenerBacklog backlog;
	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor listenerThreads;

	/** The backlog an import paces itself on is the queue the module listeners wait in. */
	@Test
	void theListenerBacklogIsWhatWaitsForAListenerThread() throws InterruptedException {
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(listenerThreads.getCorePoolSize());
		try {
			// every thread held, then three more tasks that must wait
			for (int i = 0; i < listenerThreads.getCorePoolSize(); i++) {
				listenerThreads.execute(() -> {
					busy.countDown();
					awaitQuietly(release);
				});
			}
			assertThat(busy.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			int before = backlog.queued();
			for (int i = 0; i < 3; i++) {
				listenerThreads.execute(() -> {
				});
			}
			assertThat(backlog.queued()).as("nothing leaves the queue while every thread is held").isGreaterThanOrEqualTo(before + 3);
		}
		finally {
			release.countDown();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> backlog.queued() == 0);
	}

	private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
