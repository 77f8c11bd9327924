package io.fidelis.api;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real headless Chromium driven over the DevTools protocol (one page, JSON over a WebSocket), for
 * tests that click: no WebDriver, nothing but Debian's chromium package. Every host but 127.0.0.1
 * is unreachable, so a page that needs the internet fails here as it would offline; every URL the
 * page asked for is kept ({@link #requested()}).
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path BINARY = Path.of(System.getProperty("fidelis.chromium", "/usr/bin/chromium"));

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Process process;
	private final Path profile;
	private final WebSocket socket;
	private final AtomicInteger ids = new AtomicInteger();
	private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
	private final List<String> requested = new CopyOnWriteArrayList<>();

	HeadlessChromium(int width, int height) throws Exception {
		profile = Files.createTempDirectory("fidelis-chromium");
		process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=" + width + "," + height,
				"--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
				.redirectOutput(profile.resolve("chromium.out").toFile()).redirectError(profile.resolve("chromium.log").toFile())
				.start();
		Path activePort = profile.resolve("DevToolsActivePort");
		await("Chromium's DevTools port").atMost(Duration.ofSeconds(60))
				.until(() -> Files.exists(activePort) && Files.readAllLines(activePort).size() >= 2);
		int port = Integer.parseInt(Files.readAllLines(activePort).get(0).strip());
		HttpClient http = HttpClient.newHttpClient();
		String pages = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		String page = null;
		for (JsonNode target : JSON.readTree(pages)) {
			if ("page".equals(target.path("type").asString())) {
				page = target.path("webSocketDebuggerUrl").asString();
			}
		}
		socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).get(30, TimeUnit.SECONDS);
		call("Page.enable", Map.of());
		call("Network.enable", Map.of());
	}

	/** Opens {@code url} and waits until the document and its scripts have loaded. */
	void open(String url) throws Exception {
		call("Page.navigate", Map.of("url", url));
		await("the page loaded").atMost(Duration.ofSeconds(60))
				.until(() -> "complete".equals(evaluate("document.readyState").asString()));
	}

	/** The value of a JavaScript expression in the page (promises awaited). */
	JsonNode evaluate(String expression) throws Exception {
		JsonNode answer = call("Runtime.evaluate",
				Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
		if (answer.has("exceptionDetails")) {
			throw new IllegalStateException("The page threw: " + answer.path("exceptionDetails"));
		}
		return answer.path("result").path("value");
	}

	/** From now on the page is laid out as on a phone: {@code width} × {@code height} CSS pixels, three device pixels each, touch. */
	void phone(int width, int height) throws Exception {
		call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 3,
				"mobile", true));
		call("Emulation.setTouchEmulationEnabled", Map.of("enabled", true, "maxTouchPoints", 5));
	}

	/** Keeps what the page shows now as a PNG. */
	void screenshot(Path file) throws Exception {
		Files.createDirectories(file.getParent());
		Files.write(file, Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asString()));
	}

	/** Every URL the page asked for since it was opened, in order. */
	List<String> requested() {
		return new ArrayList<>(requested);
	}

	private JsonNode call(String method, Map<String, Object> params) throws Exception {
		int id = ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		waiting.put(id, answer);
		socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
				.get(30, TimeUnit.SECONDS);
		JsonNode message = answer.get(60, TimeUnit.SECONDS);
		if (message.has("error")) {
			throw new IllegalStateException(method + " failed: " + message.path("error"));
		}
		return message.path("result");
	}

	@Override
	public void close() throws Exception {
		socket.abort();
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
		}
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				JsonNode message = JSON.readTree(partial.toString());
				partial.setLength(0);
				if (message.has("id")) {
					CompletableFuture<JsonNode> answer = waiting.remove(message.path("id").asInt());
					if (answer != null) {
						answer.complete(message);
					}
				}
				else if ("Network.requestWillBeSent".equals(message.path("method").asString())) {
					requested.add(message.path("params").path("request").path("url").asString());
				}
			}
			webSocket.request(1);
			return null;
		}
	}
}
