package io.fidelis.members.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.fidelis.members.Caller;

/**
 * The progress and row report of member imports, by import id, and what a node needs to go on
 * with an import whose node stopped: its rows and who sent them. One node runs an import at a
 * time, under a lease it renews as it goes; every write of a running import names the lease, so
 * a node that was thought gone and comes back stops at its next write.
 */
public interface ImportLog {

	/**
	 * Starts the record of an import at lease 0 and keeps its rows and caller until it ends;
	 * false when an import with this id exists already (nothing is kept then).
	 */
	boolean start(MemberImport started, Resumable work);

	/**
	 * Adds to the counters and appends row errors (the report keeps the first
	 * {@value MemberImport#REPORTED} errors), and renews the lease; false when the import is no
	 * longer under {@code lease} (another node took it over): nothing is written then.
	 */
	boolean progress(String importId, long lease, int processed, int enrolled, int existing,
			List<MemberImport.RowError> errors, Instant at);

	/** Renews the lease while the import waits; false when another node took it over. */
	boolean renew(String importId, long lease, Instant at);

	/** Ends the import under its lease and drops what was kept to resume it. */
	void finish(String importId, long lease, String status, Instant at);

	Optional<MemberImport> find(String importId);

	/** The imports started and not finished, read by exact keys (never a scan). */
	List<String> running();

	/** The import's lease and when it was last renewed; empty when it is not running. */
	Optional<Lease> leaseOf(String importId);

	/** Takes a running import over from lease {@code from}; the new lease when this call won it. */
	OptionalLong takeOver(String importId, long from, Instant at);

	/** The rows and the caller as kept at the start; empty when the import stopped before they were kept. */
	Optional<Resumable> resumable(String importId);

	/** @param renewedAt when the node running the import last said it was alive */
	record Lease(long lease, Instant renewedAt) {
	}

	/** @param rows the file's rows as parsed (field to value), in order */
	record Resumable(List<Map<String, String>> rows, Caller caller) {
	}

	/** An import: counters, status and the rows that could not be enrolled. */
	record MemberImport(String id, String programId, String format, String status, int total, int processed,
			int enrolled, int existing, int failed, List<RowError> errors, Instant startedAt, Instant finishedAt) {

		public static final int REPORTED = 1_000;

		/** @param row 1 for the first data row */
		public record RowError(int row, String field, String code, String message) {
		}
	}
}
