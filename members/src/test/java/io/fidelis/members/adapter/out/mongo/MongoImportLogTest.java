package io.fidelis.members.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fidelis.members.Caller;
import io.fidelis.members.application.ImportLog.Lease;
import io.fidelis.members.application.ImportLog.MemberImport;
import io.fidelis.members.application.ImportLog.Resumable;

/**
 * The import log on the embedded server: an import's rows and caller are kept until it ends, every
 * write of a running import names its lease, one node takes a stopped import over, and running
 * imports are found by exact keys.
 */
class MongoImportLogTest {

	static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");
	static final Caller CRM = new Caller.IntegrationClient("crm", Set.of("members:write"), Set.of("acme"));

	final EmbeddedMongo mongo = new EmbeddedMongo();
	final MongoImportLog log = new MongoImportLog(mongo.factory);

	@AfterEach
	void close() {
		mongo.close();
	}

	static MemberImport started(String id, int total) {
		return new MemberImport(id, "acme", "CSV", "RUNNING", total, 0, 0, 0, 0, List.of(), T0, null);
	}

	static List<Map<String, String>> rows(int count) {
		List<Map<String, String>> rows = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, String> row = new LinkedHashMap<>();
			row.put("email", "p" + i + "@example.com");
			row.put("e.mail $alt", "dots and dollars in a header"); // not a valid field name: kept all the same
			rows.add(row);
		}
		return rows;
	}

	@Test
	void aRunningImportKeepsItsRowsAndCallerUntilItEndsAndWritesOnlyUnderItsLease() {
		List<Map<String, String>> rows = rows(1_203);
		assertThat(log.start(started("imp-1", rows.size()), new Resumable(rows, CRM))).isTrue();
		assertThat(log.start(started("imp-1", 3), new Resumable(rows(3), CRM))).isFalse();

		assertThat(log.running()).containsExactly("imp-1");
		assertThat(log.leaseOf("imp-1")).contains(new Lease(0, T0));
		assertThat(log.resumable("imp-1").orElseThrow()).isEqualTo(new Resumable(rows, CRM));
		assertThat(log.progress("imp-1", 0, 500, 498, 1, List.of(new MemberImport.RowError(7, "email", "VALIDATION", "bad")),
				T0.plusSeconds(5))).isTrue();
		assertThat(log.renew("imp-1", 0, T0.plusSeconds(9))).isTrue();
		assertThat(log.leaseOf("imp-1")).contains(new Lease(0, T0.plusSeconds(9)));

		// another node takes it over: the first one's writes are refused from then on
		assertThat(log.takeOver("imp-1", 0, T0.plusSeconds(60))).hasValue(1);
		assertThat(log.takeOver("imp-1", 0, T0.plusSeconds(61))).isEmpty();
		assertThat(log.progress("imp-1", 0, 500, 500, 0, List.of(), T0.plusSeconds(62))).isFalse();
		assertThat(log.renew("imp-1", 0, T0.plusSeconds(62))).isFalse();
		log.finish("imp-1", 0, "COMPLETED", T0.plusSeconds(62));
		MemberImport half = log.find("imp-1").orElseThrow();
		assertThat(half.status()).isEqualTo("RUNNING");
		assertThat(half.processed()).isEqualTo(500);
		assertThat(half.errors()).hasSize(1);

		assertThat(log.progress("imp-1", 1, 703, 700, 3, List.of(), T0.plusSeconds(70))).isTrue();
		log.finish("imp-1", 1, "COMPLETED", T0.plusSeconds(71));
		MemberImport done = log.find("imp-1").orElseThrow();
		assertThat(done.status()).isEqualTo("COMPLETED");
		assertThat(done.processed()).isEqualTo(1_203);
		assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(71));
		assertThat(log.running()).isEmpty();
		assertThat(log.leaseOf("imp-1")).isEmpty();
		assertThat(log.resumable("imp-1")).isEmpty();
		assertThat(mongo.factory.getMongoDatabase().getCollection("members_import_rows").countDocuments()).isZero();
	}

	@Test
	void aStaffCallerAndAnEmptyFileAreKeptToo() {
		Caller staff = new Caller.Staff("ana", Set.of("admin"));
		assertThat(log.start(started("imp-2", 0), new Resumable(List.of(), staff))).isTrue();
		assertThat(log.resumable("imp-2")).contains(new Resumable(List.of(), staff));
		log.finish("imp-2", 0, "COMPLETED", T0);
		assertThat(log.running()).isEmpty();
	}
}
