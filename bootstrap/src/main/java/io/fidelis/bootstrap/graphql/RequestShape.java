package io.fidelis.bootstrap.graphql;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.web.filter.OncePerRequestFilter;

import graphql.language.OperationDefinition;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request to /graphql must be one JSON object with a string {@code query} (or the hash of a
 * persisted one, {@link PersistedQueries}) and, when present, an object of {@code variables}, a
 * string {@code operationName} and an object of {@code extensions}, within a size limit. Anything
 * else (broken JSON, {@code null}, a batch array, a body too big) is answered 400 (413) in the
 * GraphQL error shape with code VALIDATION, before it reaches the engine: Spring's own answers to
 * such bodies were a bare error page, and a {@code null} body was a 500.
 *
 * <p>A GET carries the same fields as URL parameters ({@code variables} and {@code extensions}
 * JSON-encoded) and may only run a query: a mutation or subscription by GET is answered 405
 * (GraphQL over HTTP), since links and caches repeat GETs freely. It is handed on as the POST it
 * stands for.
 *
 * <p>What it parsed is handed to the endpoint as a request attribute ({@link ParsedOnce}), so a
 * body is parsed once.
 */
final class RequestShape extends OncePerRequestFilter {

	private final ObjectMapper json = new ObjectMapper();
	private final int maxBytes;
	private final PersistedQueries persisted;

	RequestShape(int maxBytes, PersistedQueries persisted) {
		this.maxBytes = maxBytes;
		this.persisted = persisted;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) || "GET".equals(request.getMethod()))
				|| !"/graphql".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean get = "GET".equals(request.getMethod());
		byte[] body;
		JsonNode parsed;
		if (get) {
			body = null;
			try {
				parsed = fromParameters(request);
			}
			catch (JacksonException e) {
				refuse(response, 400, "The variables and extensions parameters of a GET must be JSON objects");
				return;
			}
		}
		else {
			if (!json(request.getContentType())) {
				refuse(response, 415, "Send the request as JSON: Content-Type: application/json, with a body such as "
						+ "{\"query\": \"{ me(programId: \\\"acme\\\") { id } }\"}");
				return;
			}
			if (request.getContentLengthLong() > maxBytes) {
				refuse(response, 413, "The request is larger than " + maxBytes + " bytes");
				return;
			}
			body = request.getInputStream().readNBytes(maxBytes + 1);
			if (body.length > maxBytes) {
				refuse(response, 413, "The request is larger than " + maxBytes + " bytes");
				return;
			}
			try {
				parsed = json.readTree(body);
			}
			catch (JacksonException e) {
				refuse(response, 400, looksLikeADocument(body)
						? "The body is a GraphQL document, not JSON: send it as {\"query\": \"…\"} (with \"variables\" beside it)"
						: "The body is not valid JSON");
				return;
			}
		}
		String problem = problem(parsed);
		if (problem != null) {
			refuse(response, 400, problem);
			return;
		}
		ObjectNode graphQlRequest = (ObjectNode) parsed;
		JsonNode ask = graphQlRequest.path("extensions").path("persistedQuery");
		String sent = graphQlRequest.path("query").isString() ? graphQlRequest.path("query").asString() : null;
		PersistedQueries.Lookup lookup = persisted.lookup(sent,
				ask.isMissingNode() || ask.isNull() ? null : json.treeToValue(ask, Object.class));
		String query;
		if (lookup instanceof PersistedQueries.Lookup.Invalid invalid) {
			refuse(response, 400, invalid.message());
			return;
		}
		else if (lookup instanceof PersistedQueries.Lookup.NotFound) {
			// what Apollo's clients look for, answered 200 so that every client reads it and sends the text
			response.setStatus(200);
			RefusalBody.write(response, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound");
			return;
		}
		else if (lookup instanceof PersistedQueries.Lookup.Text text) {
			query = text.query();
		}
		else if (sent == null) { // not asked by hash, and no text either
			refuse(response, 400, "The body needs a query: a GraphQL document as a string");
			return;
		}
		else {
			query = sent;
		}
		if (get) {
			String operationName = graphQlRequest.path("operationName").isString()
					? graphQlRequest.path("operationName").asString() : null;
			Optional<OperationDefinition.Operation> kind = persisted.operation(query, operationName);
			if (kind.isPresent() && kind.get() != OperationDefinition.Operation.QUERY) {
				response.setHeader("Allow", "POST");
				refuse(response, 405, "A GET may only run a query; send a " + kind.get().name().toLowerCase(Locale.ROOT)
						+ " by POST");
				return;
			}
		}
		if (sent == null || get) {
			graphQlRequest.put("query", query);
			body = json.writeValueAsBytes(graphQlRequest);
		}
		// the endpoint takes this instead of parsing the body again (ParsedOnce)
		request.setAttribute(ParsedOnce.PARSED, asRequest(graphQlRequest, query));
		chain.doFilter(new Replayed(request, body, get), response);
	}

	/** The request as Spring GraphQL reads it from JSON; only the (small) variables and extensions are converted. */
	@SuppressWarnings("unchecked")
	private SerializableGraphQlRequest asRequest(ObjectNode fields, String query) {
		SerializableGraphQlRequest request = new SerializableGraphQlRequest();
		request.setQuery(query);
		JsonNode operation = fields.path("operationName");
		request.setOperationName(operation.isString() ? operation.asString() : null);
		// left alone when absent, as the JSON converter leaves them (empty maps); an explicit null is set
		JsonNode variables = fields.path("variables");
		if (!variables.isMissingNode()) {
			request.setVariables(variables.isObject() ? json.treeToValue(variables, java.util.Map.class) : null);
		}
		JsonNode extensions = fields.path("extensions");
		if (!extensions.isMissingNode()) {
			request.setExtensions(extensions.isObject() ? json.treeToValue(extensions, java.util.Map.class) : null);
		}
		return request;
	}

	/** A request body as GraphQL over HTTP sends it: application/json (graphql-response+json is for answers). */
	private static boolean json(String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
		return type.equals("application/json");
	}

	/** A bare GraphQL document posted as the body, the mistake a newcomer makes first. */
	private static boolean looksLikeADocument(byte[] body) {
		String start = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).stripLeading();
		return start.startsWith("query") || start.startsWith("mutation") || start.startsWith("subscription")
				|| start.startsWith("fragment") || start.matches("(?s)\\{\\s*[A-Za-z_].*");
	}

	/** A GET's fields, from its URL parameters. */
	private JsonNode fromParameters(HttpServletRequest request) {
		ObjectNode fields = json.createObjectNode();
		String query = request.getParameter("query");
		if (query != null) {
			fields.put("query", query);
		}
		String operationName = request.getParameter("operationName");
		if (operationName != null && !operationName.isEmpty()) {
			fields.put("operationName", operationName);
		}
		for (String encoded : new String[] { "variables", "extensions" }) {
			String value = request.getParameter(encoded);
			if (value != null && !value.isEmpty()) {
				fields.set(encoded, json.readTree(value));
			}
		}
		return fields;
	}

	private static String problem(JsonNode request) {
		if (request == null || !request.isObject()) {
			return "The body must be one JSON object with a query (batches are not supported)";
		}
		JsonNode extensions = request.path("extensions");
		if (!extensions.isMissingNode() && !extensions.isNull() && !extensions.isObject()) {
			return "extensions must be a JSON object";
		}
		JsonNode query = request.path("query");
		boolean byHash = extensions.has("persistedQuery");
		if ((!byHash || !query.isMissingNode() && !query.isNull())
				&& (!query.isString() || query.asString().isBlank())) {
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

	/** The request with its body, already read, served again; a GET as the POST it stands for. */
	private static final class Replayed extends HttpServletRequestWrapper {
		private final byte[] body;
		private final boolean fromGet;

		Replayed(HttpServletRequest request, byte[] body, boolean fromGet) {
			super(request);
			this.body = body;
			this.fromGet = fromGet;
		}

		@Override
		public String getMethod() {
			return fromGet ? "POST" : super.getMethod();
		}

		@Override
		public String getContentType() {
			return fromGet ? "application/json" : super.getContentType();
		}

		@Override
		public String getHeader(String name) {
			if (fromGet && "Content-Type".equalsIgnoreCase(name)) {
				return getContentType();
			}
			if (fromGet && "Content-Length".equalsIgnoreCase(name)) {
				return Integer.toString(body.length);
			}
			return super.getHeader(name);
		}

		@Override
		public java.util.Enumeration<String> getHeaders(String name) {
			String replaced = fromGet ? getHeader(name) : null;
			return replaced != null && ("Content-Type".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name))
					? java.util.Collections.enumeration(java.util.List.of(replaced)) : super.getHeaders(name);
		}

		@Override
		public java.util.Enumeration<String> getHeaderNames() {
			if (!fromGet) {
				return super.getHeaderNames();
			}
			java.util.Set<String> names = new java.util.LinkedHashSet<>(java.util.Collections.list(super.getHeaderNames()));
			names.add("Content-Type");
			names.add("Content-Length");
			return java.util.Collections.enumeration(names);
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
