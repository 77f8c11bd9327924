package io.fidelis.bootstrap.graphql;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A POST to /graphql must be one JSON object with a string {@code query} and, when present, an
 * object of {@code variables} and a string {@code operationName}, within a size limit. Anything
 * else (broken JSON, {@code null}, a batch array, a body too big) is answered 400 (413) in the
 * GraphQL error shape with code VALIDATION, before it reaches the engine: Spring's own answers
 * to such bodies were a bare error page, and a {@code null} body was a 500.
 */
final class RequestShape extends OncePerRequestFilter {

	private final ObjectMapper json = new ObjectMapper();
	private final int maxBytes;

	RequestShape(int maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !"/graphql".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			refuse(response, 413, "The request is larger than " + maxBytes + " bytes");
			return;
		}
		byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
		if (body.length > maxBytes) {
			refuse(response, 413, "The request is larger than " + maxBytes + " bytes");
			return;
		}
		String problem = problem(body);
		if (problem != null) {
			refuse(response, 400, problem);
			return;
		}
		chain.doFilter(new Replayed(request, body), response);
	}

	private String problem(byte[] body) {
		JsonNode request;
		try {
			request = json.readTree(body);
		}
		catch (JacksonException e) {
			return "The body is not valid JSON";
		}
		if (request == null || !request.isObject()) {
			return "The body must be one JSON object with a query (batches are not supported)";
		}
		if (!request.path("query").isString() || request.path("query").asString().isBlank()) {
			return "The body needs a query: a GraphQL document as a string";
		}
		JsonNode variables = request.path("variables");
		if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
			return "variables must be a JSON object";
		}
		JsonNode operation = request.path("operationName");
		if (!operation.isMissingNode() && !operation.isNull() && !operation.isString()) {
			return "operationName must be a string";
		}
		return null;
	}

	private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		RefusalBody.write(response, "VALIDATION", message);
	}

	/** The request with its body, already read, served again. */
	private static final class Replayed extends HttpServletRequestWrapper {
		private final byte[] body;

		Replayed(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {
				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					// the whole body is already here: it is available at once, and then all read
					try {
						listener.onDataAvailable();
						listener.onAllDataRead();
					}
					catch (IOException e) {
						listener.onError(e);
					}
				}
			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}
	}
}
