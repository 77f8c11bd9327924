package io.fidelis.cards.adapter.in.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.fidelis.cards.application.ServingPasses;

/**
 * Apple's PassKit web service, at the {@code webServiceURL} every pass carries
 * ({@code <public-url>/passkit}), with the protocol's exact paths and status codes.
 */
@RestController
@RequestMapping("/passkit/v1")
class PassKitWebService {

	static final MediaType PKPASS = MediaType.parseMediaType("application/vnd.apple.pkpass");
	/** The log is anonymous (Apple's protocol): a device sends a few lines, never more than this. */
	static final int MOST_LOG_BYTES = 64 * 1024;
	private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

	private final ServingPasses passes;

	PassKitWebService(ServingPasses passes) {
		this.passes = passes;
	}

	record RegistrationBody(String pushToken) {
	}

	record LogBody(List<String> logs) {
	}

	@PostMapping("/devices/{device}/registrations/{passType}/{serial}")
	ResponseEntity<?> register(@PathVariable String device, @PathVariable String passType, @PathVariable String serial,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			@RequestBody(required = false) RegistrationBody body) {
		return answer(passes.register(device, passType, serial, authorization, body == null ? null : body.pushToken()));
	}

	@DeleteMapping("/devices/{device}/registrations/{passType}/{serial}")
	ResponseEntity<?> unregister(@PathVariable String device, @PathVariable String passType, @PathVariable String serial,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
		return answer(passes.unregister(device, passType, serial, authorization));
	}

	@GetMapping("/devices/{device}/registrations/{passType}")
	ResponseEntity<?> updated(@PathVariable String device, @PathVariable String passType,
			@RequestParam(name = "passesUpdatedSince", required = false) String since) {
		ServingPasses.Updated updated = passes.updatedSince(device, passType, since);
		return switch (updated.answer()) {
			case OK -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("serialNumbers", updated.serialNumbers(), "lastUpdated", updated.lastUpdated()));
			case NO_CONTENT -> ResponseEntity.noContent().build();
			default -> refusal(updated.answer(), updated.message());
		};
	}

	/**
	 * Written by hand: given a ResponseEntity with Last-Modified, Spring would answer 304 itself for
	 * any later If-Modified-Since, including one from the future that ServingPasses ignores on purpose.
	 */
	@GetMapping("/passes/{passType}/{serial}")
	ResponseEntity<?> latest(@PathVariable String passType, @PathVariable String serial,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			@RequestHeader(name = HttpHeaders.IF_MODIFIED_SINCE, required = false) String ifModifiedSince,
			jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
		ServingPasses.Served served = passes.latest(passType, serial, authorization, httpDate(ifModifiedSince));
		switch (served.answer()) {
			case OK -> {
				response.setStatus(HttpStatus.OK.value());
				response.setContentType(PKPASS.toString());
				response.setHeader(HttpHeaders.LAST_MODIFIED, format(served.lastModified()));
				response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
				response.setContentLength(served.pass().length);
				response.getOutputStream().write(served.pass());
				return null;
			}
			case NOT_MODIFIED -> {
				response.setStatus(HttpStatus.NOT_MODIFIED.value());
				response.setHeader(HttpHeaders.LAST_MODIFIED, format(served.lastModified()));
				return null;
			}
			default -> {
				return refusal(served.answer(), served.message());
			}
		}
	}

	/** Read no further than {@link #MOST_LOG_BYTES}: a larger body is refused (413) before it is held in memory. */
	@PostMapping("/log")
	ResponseEntity<?> log(jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
		if (request.getContentLengthLong() > MOST_LOG_BYTES) {
			return tooLarge();
		}
		byte[] body = request.getInputStream().readNBytes(MOST_LOG_BYTES + 1);
		if (body.length > MOST_LOG_BYTES) {
			return tooLarge();
		}
		LogBody logs;
		try {
			logs = body.length == 0 ? null : JSON.readValue(body, LogBody.class);
		}
		catch (tools.jackson.core.JacksonException e) {
			return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("error", HttpStatus.BAD_REQUEST.name(), "message", "The body is not a JSON object of logs"));
		}
		passes.log(logs == null || logs.logs() == null ? List.of() : logs.logs());
		return ResponseEntity.ok().build();
	}

	private static ResponseEntity<?> tooLarge() {
		return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("error", HttpStatus.CONTENT_TOO_LARGE.name(), "message",
						"A device log is at most " + MOST_LOG_BYTES + " bytes"));
	}

	private static ResponseEntity<?> answer(ServingPasses.Served served) {
		return switch (served.answer()) {
			case CREATED -> ResponseEntity.status(HttpStatus.CREATED).build();
			case OK -> ResponseEntity.ok().build();
			default -> refusal(served.answer(), served.message());
		};
	}

	private static ResponseEntity<?> refusal(ServingPasses.Answer answer, String message) {
		HttpStatus status = switch (answer) {
			case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			default -> HttpStatus.BAD_REQUEST;
		};
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("error", status.name(), "message", message == null ? "" : message));
	}

	/** RFC 9110's preferred format, IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT} (two-digit day, always GMT). */
	private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
			.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);
	/**
	 * The three formats a recipient must read (RFC 9110, 5.6.7): IMF-fixdate, the obsolete RFC 850
	 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}, a two-digit year read as 1970 to 2069) and asctime
	 * ({@code Sun Nov  6 08:49:37 1994}).
	 */
	private static final List<DateTimeFormatter> HTTP_DATES = List.of(
			// a one-digit day too: what this service wrote before, which phones send back
			DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC),
			new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEEE, dd-MMM-")
					.appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1970)
					.appendPattern(" HH:mm:ss 'GMT'").toFormatter(java.util.Locale.US).withZone(ZoneOffset.UTC),
			DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", java.util.Locale.US).withZone(ZoneOffset.UTC));

	/** An If-Modified-Since that is not an HTTP date is ignored, as RFC 9110 says: the pass is served. */
	static Instant httpDate(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		for (DateTimeFormatter format : HTTP_DATES) {
			try {
				return ZonedDateTime.parse(value.strip(), format).toInstant();
			}
			catch (DateTimeParseException e) {
				// the next format
			}
		}
		return null;
	}

	static String format(Instant instant) {
		return IMF_FIXDATE.format(instant);
	}
}
