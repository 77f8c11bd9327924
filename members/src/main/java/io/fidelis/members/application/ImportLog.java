package io.fidelis.members.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The progress and row report of member imports, by import id. */
public interface ImportLog {

	/** Starts the record of an import; false when an import with this id exists already. */
	boolean start(MemberImport started);

	/** Adds to the counters and appends row errors (the report keeps the first {@value MemberImport#REPORTED} errors). */
	void progress(String importId, int processed, int enrolled, int existing, List<MemberImport.RowError> errors);

	void finish(String importId, String status, Instant at);

	Optional<MemberImport> find(String importId);

	/** An import: counters, status and the rows that could not be enrolled. */
	record MemberImport(String id, String programId, String format, String status, int total, int processed,
			int enrolled, int existing, int failed, List<RowError> errors, Instant startedAt, Instant finishedAt) {

		public static final int REPORTED = 1_000;

		/** @param row 1 for the first data row */
		public record RowError(int row, String field, String code, String message) {
		}
	}
}
