package io.fidelis.points.application;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberIdentifier;
import io.fidelis.members.ProgramId;
import io.fidelis.points.domain.Channel;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Purchase;
import io.fidelis.points.domain.PurchaseLine;

/**
 * Historical transactions from another platform, as CSV or NDJSON, recorded as purchases in the
 * background. Every import of a program records its orders as one client ("import-<program>"),
 * so re-running a file, whole or after fixing its bad rows, under a new import id records no
 * order twice. Each row that fails is reported with its number, field and reason.
 */
@Service
public class ImportingTransactions {

	private static final Logger log = LoggerFactory.getLogger(ImportingTransactions.class);
	static final int WORKERS = 8;
	static final int PROGRESS_EVERY = 100;
	public static final int MAX_ROWS = 200_000;

	private final TransactionImportFigures figures;
	private final RecordingPurchases purchases;
	private final PurchaseBook book;
	private final SettingRules rules;
	private final Clock clock;
	private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "transaction-import");
		t.setDaemon(true);
		return t;
	});

	ImportingTransactions(RecordingPurchases purchases, PurchaseBook book, SettingRules rules, Clock clock,
			TransactionImportFigures figures) {
		this.figures = figures;
		this.purchases = purchases;
		this.book = book;
		this.rules = rules;
		this.clock = clock;
	}

	public enum Format {
		CSV, NDJSON
	}

	/** The client every import of a program records as: the idempotency scope of imported orders. */
	public static Caller.IntegrationClient importer(ProgramId program) {
		return new Caller.IntegrationClient("import-" + program.value(), Set.of("points:write"));
	}

	public sealed interface Started {
		record Accepted(PurchaseBook.TransactionImport transactionImport) implements Started {
		}

		record Refused(io.fidelis.points.domain.Refusal refusal) implements Started {
		}
	}

	public Started start(String importId, ProgramId program, Format format, String content,
			Function<String, Map<String, Object>> jsonLine) {
		if (importId == null || !importId.matches("[A-Za-z0-9._:-]{4,100}")) {
			throw new InvalidPoints("importId", "importId is 4 to 100 letters, digits or . _ : -");
		}
		if (rules.rules(program.value()).isEmpty()) {
			return new Started.Refused(new io.fidelis.points.domain.Refusal(io.fidelis.points.domain.Refusal.Reason.NOT_FOUND,
					"There is no program '" + program + "'"));
		}
		List<Map<String, Object>> rows = parse(format, content, jsonLine);
		PurchaseBook.TransactionImport record = new PurchaseBook.TransactionImport(importId, program.value(), format.name(),
				"RUNNING", rows.size(), 0, 0, 0, 0, List.of(), clock.instant(), null);
		if (!book.startImport(record)) {
			return new Started.Refused(new io.fidelis.points.domain.Refusal(io.fidelis.points.domain.Refusal.Reason.CONFLICT,
					"An import with id '" + importId + "' exists already; give a new id (re-running a file records no order twice)"));
		}
		runner.submit(() -> run(importId, program, rows));
		return new Started.Accepted(record);
	}

	public Optional<PurchaseBook.TransactionImport> find(String importId) {
		return book.transactionImport(importId);
	}

	private void run(String importId, ProgramId program, List<Map<String, Object>> rows) {
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		figures.started();
		try {
			for (int from = 0; from < rows.size(); from += PROGRESS_EVERY) {
				int to = Math.min(rows.size(), from + PROGRESS_EVERY);
				List<Future<Object>> batch = new ArrayList<>();
				for (int i = from; i < to; i++) {
					int rowNumber = i + 1;
					Map<String, Object> row = rows.get(i);
					batch.add(workers.submit(() -> recordRow(program, rowNumber, row)));
				}
				int recorded = 0;
				int replayed = 0;
				List<PurchaseBook.RowError> errors = new ArrayList<>();
				for (Future<Object> f : batch) {
					Object r = f.get();
					if (r instanceof PurchaseBook.RowError error) {
						errors.add(error);
					}
					else if (Boolean.TRUE.equals(r)) {
						replayed++;
					}
					else {
						recorded++;
					}
				}
				figures.rows(recorded, replayed, errors.size());
				book.importProgress(importId, to - from, recorded, replayed, errors);
			}
			book.finishImport(importId, "COMPLETED", clock.instant());
		}
		catch (Exception e) {
			log.error("Transaction import {} stopped", importId, e);
			book.finishImport(importId, "FAILED", clock.instant());
		}
		finally {
			figures.ended();
			workers.shutdown();
		}
	}

	/** True when the order was recorded before (a re-run), false when recorded now, or the row's error. */
	private Object recordRow(ProgramId program, int rowNumber, Map<String, Object> row) {
		try {
			Purchase purchase = purchase(row);
			MemberIdentifier who = new MemberIdentifier(text(row, "memberId"), text(row, "cardNumber"),
					text(row, "externalId"), text(row, "email"));
			RecordingPurchases.Outcome outcome = purchases.recordPurchase(importer(program), program, who, purchase);
			if (outcome instanceof RecordingPurchases.Outcome.Refused refused) {
				return new PurchaseBook.RowError(rowNumber, null, refused.refusal().reason().name(), refused.refusal().message());
			}
			return ((RecordingPurchases.Outcome.Recorded) outcome).replayed();
		}
		catch (InvalidPoints e) {
			return new PurchaseBook.RowError(rowNumber, e.field(), "VALIDATION", e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("Row {} of a transaction import failed", rowNumber, e);
			return new PurchaseBook.RowError(rowNumber, null, "INTERNAL", "This row could not be recorded; re-run the file");
		}
	}

	@SuppressWarnings("unchecked")
	static Purchase purchase(Map<String, Object> row) {
		BigDecimal total = decimal(row, "total");
		List<PurchaseLine> lines = new ArrayList<>();
		if (row.get("lines") instanceof List<?> given) {
			for (Object l : given) {
				if (!(l instanceof Map<?, ?> line)) {
					throw new InvalidPoints("lines", "lines is a list of {sku, category, quantity, unitPrice}");
				}
				Map<String, Object> m = (Map<String, Object>) line;
				lines.add(new PurchaseLine(text(m, "sku"), text(m, "category"), decimal(m, "quantity"), decimal(m, "unitPrice")));
			}
		}
		else if (text(row, "sku") != null) {
			lines.add(new PurchaseLine(text(row, "sku"), text(row, "category"), decimal(row, "quantity"), decimal(row, "unitPrice")));
		}
		else if (total != null) {
			// a history that kept only totals: one line for the whole receipt
			lines.add(new PurchaseLine("receipt", Optional.ofNullable(text(row, "category")).orElse("imported"), BigDecimal.ONE, total));
		}
		String channel = Optional.ofNullable(text(row, "channel")).orElse("IN_STORE").toUpperCase(Locale.ROOT);
		Channel parsed;
		try {
			parsed = Channel.valueOf(channel);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidPoints("channel", "'" + channel + "' is not a channel: ONLINE, IN_STORE, APP or PARTNER");
		}
		String currency = text(row, "currency");
		String region = text(row, "region");
		return new Purchase(text(row, "orderId"), text(row, "store"), text(row, "partner"), parsed,
				region == null ? null : region.toUpperCase(Locale.ROOT), currency == null ? null : currency.toUpperCase(Locale.ROOT),
				lines, total);
	}

	static List<Map<String, Object>> parse(Format format, String content, Function<String, Map<String, Object>> jsonLine) {
		if (content == null || content.isBlank()) {
			throw new InvalidPoints("content", "The file is empty");
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new StringReader(content))) {
			if (format == Format.NDJSON) {
				for (String line; (line = reader.readLine()) != null;) {
					if (!line.isBlank()) {
						try {
							rows.add(jsonLine.apply(line));
						}
						catch (RuntimeException e) {
							throw new InvalidPoints("content", "Line " + (rows.size() + 1) + " is not a JSON object");
						}
					}
					if (rows.size() > MAX_ROWS) {
						throw new InvalidPoints("content", "At most " + MAX_ROWS + " rows per import; split the file");
					}
				}
			}
			else {
				String header = reader.readLine();
				List<String> columns = csv(header);
				if (!columns.contains("orderId") || !columns.contains("total")) {
					throw new InvalidPoints("content", "The CSV header needs at least orderId and total; it has " + columns);
				}
				for (String line; (line = reader.readLine()) != null;) {
					if (line.isBlank()) {
						continue;
					}
					List<String> cells = csv(line);
					Map<String, Object> row = new LinkedHashMap<>();
					for (int i = 0; i < columns.size() && i < cells.size(); i++) {
						row.put(columns.get(i), cells.get(i).isEmpty() ? null : cells.get(i));
					}
					rows.add(row);
					if (rows.size() > MAX_ROWS) {
						throw new InvalidPoints("content", "At most " + MAX_ROWS + " rows per import; split the file");
					}
				}
			}
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		if (rows.isEmpty()) {
			throw new InvalidPoints("content", "The file has no rows");
		}
		return rows;
	}

	/** One CSV line: commas, with "quoted" cells that may hold commas and doubled quotes. */
	static List<String> csv(String line) {
		List<String> cells = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; line != null && i < line.length(); i++) {
			char c = line.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
					cell.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					cell.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				cells.add(cell.toString().strip());
				cell.setLength(0);
			}
			else {
				cell.append(c);
			}
		}
		cells.add(cell.toString().strip());
		return cells;
	}

	private static String text(Map<String, Object> row, String key) {
		Object value = row.get(key);
		return value == null || value.toString().isBlank() ? null : value.toString().strip();
	}

	private static BigDecimal decimal(Map<String, Object> row, String key) {
		String value = text(row, key);
		if (value == null) {
			return null;
		}
		try {
			return new BigDecimal(value);
		}
		catch (NumberFormatException e) {
			throw new InvalidPoints(key, key + " must be a decimal number such as 12.50, not '" + value + "'");
		}
	}
}
