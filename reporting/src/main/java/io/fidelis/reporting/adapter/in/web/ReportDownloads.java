package io.fidelis.reporting.adapter.in.web;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fidelis.members.Caller;
import io.fidelis.reporting.application.ReadingReports;
import io.fidelis.reporting.domain.Dimension;
import io.fidelis.reporting.domain.Figures;
import io.fidelis.reporting.domain.InvalidReport;
import io.fidelis.reporting.domain.Report;

/**
 * Every report as CSV, for BI tools: the same figures as the GraphQL queries, one line per row,
 * with a bearer token as for the API.
 */
@RestController
class ReportDownloads {

	private static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);
	private final ReadingReports reports;

	ReportDownloads(ReadingReports reports) {
		this.reports = reports;
	}

	@GetMapping("/reports/{programId}/figures.csv")
	ResponseEntity<String> figures(@PathVariable String programId, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "DAY") String groupBy,
			@RequestParam(required = false) String by, @AuthenticationPrincipal Caller caller) {
		Report report = reports.report(caller, programId, from, to, groupBy, by);
		StringBuilder csv = new StringBuilder("period,key,issued,reversed,redeemed,expired,adjusted,transferred,"
				+ "net_change,enrollments,active_members,breakage_rate,liability_points,liability_value,currency,members,tiers\n");
		for (Report.Row row : report.rows()) {
			Figures f = row.figures();
			BigDecimal value = row.liability() == null ? null : report.value(row.liability());
			csv.append(cell(row.period())).append(',').append(cell(row.key())).append(',').append(f.issued()).append(',')
					.append(f.reversed()).append(',').append(f.redeemed()).append(',').append(f.expired()).append(',')
					.append(f.adjusted()).append(',').append(f.transferred()).append(',').append(f.netChange()).append(',')
					.append(f.enrolments()).append(',').append(f.active(report.grouping())).append(',')
					.append(text(Report.breakage(f))).append(',').append(text(row.liability())).append(',')
					.append(value == null ? "" : value.toPlainString()).append(',')
					.append(cell(row.liability() == null ? null : report.currency())).append(',')
					.append(text(row.members())).append(',').append(cell(tiers(row.tiers()))).append('\n');
		}
		return csv(programId + "-figures.csv", csv);
	}

	@GetMapping("/reports/{programId}/stores.csv")
	ResponseEntity<String> stores(@PathVariable String programId, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int first,
			@AuthenticationPrincipal Caller caller) {
		return places(programId, "stores", reports.top(caller, programId, from, to, Dimension.STORE, first));
	}

	@GetMapping("/reports/{programId}/partners.csv")
	ResponseEntity<String> partners(@PathVariable String programId, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int first,
			@AuthenticationPrincipal Caller caller) {
		return places(programId, "partners", reports.top(caller, programId, from, to, Dimension.PARTNER, first));
	}

	private static ResponseEntity<String> places(String programId, String what, List<Map.Entry<String, Figures>> ranked) {
		StringBuilder csv = new StringBuilder("name,issued,redeemed,reversed\n");
		for (Map.Entry<String, Figures> e : ranked) {
			csv.append(cell(e.getKey())).append(',').append(e.getValue().issued()).append(',')
					.append(e.getValue().redeemed()).append(',').append(e.getValue().reversed()).append('\n');
		}
		return csv(programId + "-" + what + ".csv", csv);
	}

	private static ResponseEntity<String> csv(String fileName, StringBuilder body) {
		return ResponseEntity.ok().contentType(CSV)
				.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").body(body.toString());
	}

	private static String tiers(Map<String, Long> tiers) {
		return tiers == null ? null
				: tiers.entrySet().stream().map(e -> (e.getKey().isEmpty() ? Report.NONE : e.getKey()) + "=" + e.getValue())
						.collect(Collectors.joining(";"));
	}

	private static String text(Object value) {
		return value == null ? "" : value.toString();
	}

	/** Quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
	static String cell(String value) {
		if (value == null) {
			return "";
		}
		String safe = value.matches("^[=+\\-@].*") ? "'" + value : value;
		if (safe.matches("(?s).*[,\"\\r\\n].*")) {
			return '"' + safe.replace("\"", "\"\"") + '"';
		}
		return safe;
	}

	@ExceptionHandler(InvalidReport.class)
	ResponseEntity<String> invalid(InvalidReport e) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.field() + ": " + e.getMessage() + "\n");
	}

	@ExceptionHandler(ReadingReports.NotAllowed.class)
	ResponseEntity<String> notAllowed(ReadingReports.NotAllowed e) {
		HttpStatus status = "NOT_FOUND".equals(e.code()) ? HttpStatus.NOT_FOUND : HttpStatus.FORBIDDEN;
		return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
	}
}
