package io.fidelis.wallet;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;

/**
 * Google's token endpoint and the Wallet REST API on loopback, as strict as the real ones where it
 * matters: the service account's assertion must verify with its public key, every API call must
 * carry the token it handed out, an object can only be patched once inserted, and inserting twice
 * is a 409.
 */
public final class GoogleWalletStub implements AutoCloseable {

	public record Call(String method, String path, Map<String, Object> body) {
	}

	public final Map<String, Map<String, Object>> classes = new ConcurrentHashMap<>();
	public final Map<String, Map<String, Object>> objects = new ConcurrentHashMap<>();
	public final List<Call> calls = new CopyOnWriteArrayList<>();
	public final AtomicInteger tokensIssued = new AtomicInteger();
	/** How many API calls to answer 503 before behaving again. */
	public final AtomicInteger unavailableFor = new AtomicInteger();
	/** What an unavailable answer is (503, or 429: slow down), and the Retry-After it carries (null: none). */
	public final AtomicInteger unavailableStatus = new AtomicInteger(503);
	public final java.util.concurrent.atomic.AtomicReference<String> retryAfter = new java.util.concurrent.atomic.AtomicReference<>();

	private final HttpServer server;
	private final RSAPublicKey serviceAccountKey;
	private final String serviceAccount;
	private final JsonMapper json = JsonMapper.builder().build();
	private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();

	public GoogleWalletStub(RSAPublicKey serviceAccountKey, String serviceAccount) {
		this.serviceAccountKey = serviceAccountKey;
		this.serviceAccount = serviceAccount;
		try {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		server.createContext("/token", this::token);
		server.createContext("/walletobjects/v1/", this::api);
		server.start();
	}

	public String tokenUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
	}

	public String apiUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/walletobjects/v1";
	}

	/** Every balance a PATCH or insert sent for {@code objectId}, in order. */
	public List<Long> balancesSent(String objectId) {
		List<Long> balances = new ArrayList<>();
		for (Call call : calls) {
			if (call.body() != null && objectId.equals(call.body().get("id")) && call.body().get("loyaltyPoints") != null) {
				Map<?, ?> points = (Map<?, ?>) call.body().get("loyaltyPoints");
				balances.add(((Number) ((Map<?, ?>) points.get("balance")).get("int")).longValue());
			}
		}
		return balances;
	}

	private void token(HttpExchange exchange) throws IOException {
		String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Map<String, String> fields = new HashMap<>();
		for (String pair : form.split("&")) {
			String[] kv = pair.split("=", 2);
			fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
					kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
		}
		try {
			SignedJWT assertion = SignedJWT.parse(fields.get("assertion"));
			boolean ok = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type"))
					&& assertion.verify(new RSASSAVerifier(serviceAccountKey))
					&& serviceAccount.equals(assertion.getJWTClaimsSet().getIssuer())
					&& assertion.getJWTClaimsSet().getAudience().contains(tokenUrl())
					&& "https://www.googleapis.com/auth/wallet_object.issuer".equals(assertion.getJWTClaimsSet().getClaim("scope"))
					&& assertion.getJWTClaimsSet().getExpirationTime().after(new Date());
			if (!ok) {
				answer(exchange, 400, Map.of("error", "invalid_grant"));
				return;
			}
		}
		catch (Exception e) {
			answer(exchange, 400, Map.of("error", "invalid_grant", "error_description", e.toString()));
			return;
		}
		String token = "stub-token-" + tokensIssued.incrementAndGet();
		tokens.put(token, true);
		answer(exchange, 200, Map.of("access_token", token, "expires_in", 3600, "token_type", "Bearer"));
	}

	@SuppressWarnings("unchecked")
	private void api(HttpExchange exchange) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization == null || !tokens.containsKey(authorization.replaceFirst("^Bearer ", ""))) {
			answer(exchange, 401, Map.of("error", Map.of("code", 401)));
			return;
		}
		String path = exchange.getRequestURI().getPath().substring("/walletobjects/v1/".length());
		byte[] raw = exchange.getRequestBody().readAllBytes();
		Map<String, Object> body = raw.length == 0 ? null : json.readValue(raw, Map.class);
		String method = exchange.getRequestMethod();
		calls.add(new Call(method, path, body));
		if (unavailableFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
			if (retryAfter.get() != null) {
				exchange.getResponseHeaders().add("Retry-After", retryAfter.get());
			}
			answer(exchange, unavailableStatus.get(), Map.of("error", Map.of("code", unavailableStatus.get(), "message", "try later")));
			return;
		}
		Map<String, Map<String, Object>> store = path.startsWith("loyaltyClass") ? classes : objects;
		if (method.equals("POST")) {
			String id = String.valueOf(body.get("id"));
			answer(exchange, store.putIfAbsent(id, body) == null ? 200 : 409, body);
		}
		else if (method.equals("PATCH") || method.equals("GET")) {
			String id = path.substring(path.indexOf('/') + 1);
			Map<String, Object> existing = store.get(id);
			if (existing == null) {
				answer(exchange, 404, Map.of("error", Map.of("code", 404)));
				return;
			}
			if (method.equals("PATCH")) {
				Map<String, Object> merged = new HashMap<>(existing);
				merged.putAll(body);
				store.put(id, merged);
				existing = merged;
			}
			answer(exchange, 200, existing);
		}
		else {
			answer(exchange, 405, Map.of());
		}
	}

	private void answer(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = json.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
