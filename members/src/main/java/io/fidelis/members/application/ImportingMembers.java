package io.fidelis.members.application;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.ImportLog.MemberImport;
import io.fidelis.members.application.ImportLog.MemberImport.RowError;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.PhoneNumber;

/**
 * Bulk enrollment from another platform's export (CSV with a header row, or NDJSON). Each row is
 * an ordinary enrollment whose idempotency key derives from the program and the email, so
 * running the same file again enrolls nobody twice; rows that fail are reported with their
 * number, field and reason, and never half-written.
 */
@Service
public class ImportingMembers {

	private static final Logger log = LoggerFactory.getLogger(ImportingMembers.class);
	/** Rows enrolled together: their claims, members and names are each written in one go. */
	static final int BATCH = 500;
	/**
	 * Listener invocations an import lets queue before it waits: about two batches' worth. A batch
	 * is one event ({@code MembersEnrolled}), heard by four or five listeners (points, cards,
	 * offers, reporting; webhooks when subscribed).
	 */
	static final int MOST_QUEUED = 5 * 2;
	private static final java.time.Duration LONGEST_PAUSE = java.time.Duration.ofMinutes(1);
	static final int MAX_ROWS = 200_000;
	/**
	 * An import whose lease was not renewed for this long is taken to be stopped (its node crashed
	 * or was restarted) and another node, or the same one after its restart, goes on with it. The
	 * node running it renews the lease with every batch and every {@link #RENEW_EVERY} while it
	 * waits, so a live import is never taken over.
	 */
	static final java.time.Duration LEASE = java.time.Duration.ofSeconds(30);
	static final java.time.Duration RENEW_EVERY = java.time.Duration.ofSeconds(5);

	private final MemberImportFigures figures;
	private final EnrollingMembers enrolling;
	private final ProgramStore programs;
	private final ImportLog imports;
	private final Clock clock;
	private final ListenerBacklog backlog;
	private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "member-import");
		t.setDaemon(true);
		return t;
	});

	ImportingMembers(EnrollingMembers enrolling, ProgramStore programs, ImportLog imports, Clock clock,
			ListenerBacklog backlog, MemberImportFigures figures) {
		this.figures = figures;
		this.enrolling = enrolling;
		this.backlog = backlog;
		this.programs = programs;
		this.imports = imports;
		this.clock = clock;
	}

	public enum Format { CSV, NDJSON }

	public sealed interface Started {
		record Accepted(MemberImport memberImport) implements Started {
		}

		record Refused(Refusal refusal) implements Started {
		}
	}

	/**
	 * Checks the file's shape, records the import and enrolls in the background; the returned
	 * import shows progress when read again.
	 */
	public Started start(Caller caller, String importId, ProgramId program, Format format, String content,
			Function<String, Map<String, Object>> jsonLine) {
		if (importId == null || !importId.matches("[A-Za-z0-9._:-]{4,100}")) {
			throw new InvalidInput("importId", "importId is 4 to 100 letters, digits or . _ : -");
		}
		Optional<Refusal> outOfReach = Refusal.outOfReach(caller, program);
		if (outOfReach.isPresent()) {
			return new Started.Refused(outOfReach.get());
		}
		if (programs.find(program).isEmpty()) {
			return new Started.Refused(new Refusal(Refusal.Reason.NOT_FOUND, "There is no program '" + program + "'"));
		}
		List<Map<String, String>> rows = parse(format, content, jsonLine);
		MemberImport record = new MemberImport(importId, program.value(), format.name(), "RUNNING", rows.size(), 0, 0, 0, 0,
				List.of(), clock.instant(), null);
		if (!imports.start(record, new ImportLog.Resumable(rows, caller))) {
			return new Started.Refused(new Refusal(Refusal.Reason.CONFLICT, "An import with id '" + importId
					+ "' exists already; give a new id (re-running a file under a new id enrolls nobody twice)"));
		}
		runner.submit(() -> run(caller, importId, program, rows, 0, 0));
		return new Started.Accepted(record);
	}

	/** An import's progress; one of a program beyond the caller's reach is not shown (as if none). */
	public Optional<MemberImport> find(Caller caller, String importId) {
		return imports.find(importId).filter(i -> caller.mayReach(new ProgramId(i.programId())));
	}

	/**
	 * Goes on with the imports whose node stopped (their lease ran out): one node takes each over
	 * and enrolls from the first batch that was not finished. Rows of that batch enrolled before
	 * the stop are found enrolled (their keys replay) and counted as existing. Answers how many
	 * it took over.
	 */
	public int resumeInterrupted() {
		int resumed = 0;
		for (String importId : imports.running()) {
			Optional<MemberImport> found = imports.find(importId);
			Optional<ImportLog.Lease> lease = imports.leaseOf(importId);
			if (found.isEmpty() || lease.isEmpty() || lease.get().renewedAt().isAfter(clock.instant().minus(LEASE))) {
				continue; // ended meanwhile, or alive
			}
			java.util.OptionalLong mine = imports.takeOver(importId, lease.get().lease(), clock.instant());
			if (mine.isEmpty()) {
				continue; // another node was quicker
			}
			MemberImport stopped = found.get();
			// the rows are kept from the import's start: the report's duplicates need the earlier ones too
			Optional<ImportLog.Resumable> work = imports.resumable(importId);
			if (work.isEmpty()) {
				log.error("Import {} stopped and its rows were not kept; it cannot go on", importId);
				imports.finish(importId, mine.getAsLong(), "FAILED", clock.instant());
				continue;
			}
			log.warn("Import {} stopped after {} of {} rows; going on from there", importId, stopped.processed(),
					stopped.total());
			runner.submit(() -> run(work.get().caller(), importId, new ProgramId(stopped.programId()), work.get().rows(),
					stopped.processed(), mine.getAsLong()));
			resumed++;
		}
		return resumed;
	}

	/**
	 * Enrolls the rows from {@code start} (0, or where a stopped run left off) under {@code lease};
	 * stops at once when another node has taken the import over.
	 */
	private void run(Caller caller, String importId, ProgramId program, List<Map<String, String>> rows, int start,
			long lease) {
		// the first row with an email wins; later ones are reported
		Map<String, Integer> firstRowOf = new java.util.HashMap<>();
		for (int i = 0; i < start && i < rows.size(); i++) {
			duplicateOf(rows.get(i), i + 1, firstRowOf);
		}
		figures.started();
		try {
			for (int from = start; from < rows.size(); from += BATCH) {
				int to = Math.min(rows.size(), from + BATCH);
				if (!awaitListeners(importId, lease)) {
					log.warn("Import {} was taken over by another node; this one stops", importId);
					return;
				}
				List<RowError> errors = new ArrayList<>();
				List<EnrollMember> requests = new ArrayList<>();
				List<Integer> requestRows = new ArrayList<>();
				for (int i = from; i < to; i++) {
					int rowNumber = i + 1;
					Map<String, String> row = rows.get(i);
					Integer earlier = duplicateOf(row, rowNumber, firstRowOf);
					if (earlier != null) {
						errors.add(new RowError(rowNumber, "email", "CONFLICT", "The same email as row " + earlier + " of this file"));
						continue;
					}
					try {
						requests.add(request(program, row));
						requestRows.add(rowNumber);
					}
					catch (InvalidInput e) {
						errors.add(new RowError(rowNumber, e.field(), "VALIDATION", e.getMessage()));
					}
				}
				int enrolled = 0;
				int existing = 0;
				List<EnrollingMembers.Outcome> outcomes = enrolling.enrollAll(caller, requests);
				for (int k = 0; k < outcomes.size(); k++) {
					if (outcomes.get(k) instanceof EnrollingMembers.Outcome.Enrolled done) {
						if (done.replayed()) {
							existing++;
						}
						else {
							enrolled++;
						}
					}
					else {
						errors.add(refused(requestRows.get(k), ((EnrollingMembers.Outcome.Refused) outcomes.get(k)).refusal()));
					}
				}
				errors.sort(java.util.Comparator.comparingInt(RowError::row));
				figures.rows(enrolled, existing, errors.size());
				if (!imports.progress(importId, lease, to - from, enrolled, existing, errors, clock.instant())) {
					log.warn("Import {} was taken over by another node; this one stops", importId);
					return;
				}
			}
			imports.finish(importId, lease, "COMPLETED", clock.instant());
		}
		catch (Exception | Error e) {
			// an error too (out of memory): the import must not show RUNNING for ever; rows enrolled stay enrolled
			log.error("Import {} stopped", importId, e);
			imports.finish(importId, lease, "FAILED", clock.instant());
			if (e instanceof Error error) {
				throw error;
			}
		}
		finally {
			figures.ended();
		}
	}

	/**
	 * Waits while the other modules have much of this import still to hear (each batch is four or
	 * five listener invocations, queued in memory): bounded, so that a stuck listener slows an
	 * import down without stopping it; renews the lease meanwhile. False when the import was
	 * taken over.
	 */
	private boolean awaitListeners(String importId, long lease) throws InterruptedException {
		long deadline = System.nanoTime() + LONGEST_PAUSE.toNanos();
		long renewAt = System.nanoTime() + RENEW_EVERY.toNanos();
		while (backlog.queued() > MOST_QUEUED && System.nanoTime() < deadline) {
			Thread.sleep(20);
			if (System.nanoTime() > renewAt) {
				if (!imports.renew(importId, lease, clock.instant())) {
					return false;
				}
				renewAt = System.nanoTime() + RENEW_EVERY.toNanos();
			}
		}
		return true;
	}

	private static Integer duplicateOf(Map<String, String> row, int rowNumber, Map<String, Integer> firstRowOf) {
		try {
			String email = new EmailAddress(row.get("email")).value();
			Integer earlier = firstRowOf.putIfAbsent(email, rowNumber);
			return earlier;
		}
		catch (InvalidInput | NullPointerException e) {
			return null; // the row itself reports what is wrong with it
		}
	}

	private static EnrollMember request(ProgramId program, Map<String, String> row) {
		if (row.containsKey("__broken")) {
			throw new InvalidInput(null, row.get("__broken"));
		}
		EmailAddress email = new EmailAddress(row.get("email"));
		String phone = row.get("phone");
		return new EnrollMember(program, email, row.get("name"),
				phone == null || phone.isBlank() ? null : new PhoneNumber(phone),
				"true".equalsIgnoreCase(row.getOrDefault("marketingOptIn", "false")),
				row.getOrDefault("termsVersion", "imported"), keyFor(program, email), row.get("externalId"));
	}

	private static RowError refused(int rowNumber, Refusal refusal) {
		if (refusal.reason() == Refusal.Reason.IDEMPOTENCY_KEY_REUSED) {
			return new RowError(rowNumber, "email", "CONFLICT",
					"This email was imported with other details, by an earlier row or an earlier run");
		}
		return new RowError(rowNumber, null, refusal.reason().name(), refusal.message());
	}

	/** The same person in the same program always gets the same key: re-running a file replays. */
	static String keyFor(ProgramId program, EmailAddress email) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest((program.value() + "|" + email.value()).getBytes(StandardCharsets.UTF_8));
			return "import-" + HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	static List<Map<String, String>> parse(Format format, String content,
			Function<String, Map<String, Object>> jsonLine) {
		if (content == null || content.isBlank()) {
			throw new InvalidInput("content", "The file is empty");
		}
		List<Map<String, String>> rows = format == Format.CSV ? csvRows(content) : jsonRows(content, jsonLine);
		if (rows.isEmpty()) {
			throw new InvalidInput("content", "The file holds no rows");
		}
		return rows;
	}

	private static List<Map<String, String>> jsonRows(String content, Function<String, Map<String, Object>> jsonLine) {
		List<Map<String, String>> rows = new ArrayList<>();
		try (BufferedReader lines = new BufferedReader(new StringReader(content))) {
			String line;
			int lineNumber = 0;
			while ((line = lines.readLine()) != null) {
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				Map<String, String> row = new java.util.HashMap<>();
				try {
					jsonLine.apply(line).forEach((k, v) -> row.put(k, v == null ? null : String.valueOf(v)));
				}
				catch (RuntimeException e) {
					// a broken line is still a row: it is reported, not silently dropped
					row.put("__broken", "line " + lineNumber + " is not a JSON object");
				}
				addRow(rows, row);
			}
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return rows;
	}

	/**
	 * A CSV file as spreadsheets write it: a header row, cells separated by commas, or by semicolons
	 * (what European spreadsheets export; told by the header row) or tabs; cells quoted when they
	 * hold a separator, a quote ("" inside) or a line break; CRLF or LF; a UTF-8 byte order mark.
	 */
	private static List<Map<String, String>> csvRows(String content) {
		String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
		String firstLine = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
		char separator = separatorOf(firstLine);
		List<Map<String, String>> rows = new ArrayList<>();
		CSVFormat csv = CSVFormat.RFC4180.builder().setDelimiter(separator).setHeader().setSkipHeaderRecord(true)
				.setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true).setIgnoreHeaderCase(false).get();
		try (CSVParser parser = CSVParser.parse(text, csv)) {
			List<String> header = parser.getHeaderNames().stream().map(String::strip).toList();
			if (!header.contains("email") || !header.contains("name")) {
				throw new InvalidInput("content", "The CSV header must name at least the columns email and name (found: "
						+ String.join(", ", header) + "; separated by '" + separator + "')");
			}
			for (CSVRecord record : parser) {
				Map<String, String> row = new java.util.HashMap<>();
				for (int i = 0; i < header.size() && i < record.size(); i++) {
					if (!header.get(i).isEmpty()) {
						row.put(header.get(i), record.get(i));
					}
				}
				addRow(rows, row);
			}
		}
		catch (InvalidInput invalid) {
			throw invalid;
		}
		catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
			// an open quote that never closes, a repeated column name: say where, not how the parser fell
			throw new InvalidInput("content", "The CSV file cannot be read: " + firstSentence(e.getMessage())
					+ " (quote a cell that holds a separator, a quote or a line break, and double its quotes)");
		}
		return rows;
	}

	/** The separator the header row uses: the one of ; , and tab it holds most of (a comma when none). */
	private static char separatorOf(String headerLine) {
		char best = ',';
		long most = headerLine.chars().filter(c -> c == ',').count();
		for (char candidate : new char[] { ';', '\t' }) {
			long count = headerLine.chars().filter(c -> c == candidate).count();
			if (count > most) {
				best = candidate;
				most = count;
			}
		}
		return best;
	}

	private static String firstSentence(String message) {
		if (message == null) {
			return "malformed";
		}
		int end = message.indexOf('.');
		return (end > 0 ? message.substring(0, end) : message).strip();
	}

	private static void addRow(List<Map<String, String>> rows, Map<String, String> row) {
		rows.add(row);
		if (rows.size() > MAX_ROWS) {
			throw new InvalidInput("content", "An import holds at most " + MAX_ROWS + " rows; split the file");
		}
	}
}
