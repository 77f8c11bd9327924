package io.fidelis.durability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Fidelis node in its own JVM, as an operator runs it, so that it can be killed for real. */
final class FidelisNode implements AutoCloseable {

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
	private static final Pattern COLLECTION_TAG = Pattern.compile("collection=\"([^\"]+)\"");
	private static final Pattern COMMAND_TAG = Pattern.compile("command=\"([^\"]+)\"");
	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String RECORDING = "fidelis-node";
	/**
	 * For tests that drive load or read back hundreds of members: a staff caller may make 100
	 * requests a second (200 at once). A read loop on a fast node outran that, and KillNineTest
	 * counted its RATE_LIMITED answers as missing accounts.
	 */
	static final String NO_RATE_LIMITS = "--fidelis.rate-limits.enabled=false";

	final int port;
	/** The embedded MongoDB-compatible server this node runs, for a second client (a benchmark's driver). */
	final int storePort;
	private final Process process;
	private final Path log;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	FidelisNode(Path dataDir, Path log, String... extraArgs) throws IOException {
		this(dataDir, log, false, extraArgs);
	}

	/** @param profiled record JFR execution samples from the start, to be read with {@link #profile(Path)} */
	FidelisNode(Path dataDir, Path log, boolean profiled, String... extraArgs) throws IOException {
		this.log = log;
		this.port = freePort();
		this.storePort = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("benchmark.javaHome", System.getProperty("java.home")), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), "io.fidelis.FidelisApplication",
				"--server.port=" + port, "--fidelis.mongodb.embedded.port=" + storePort,
				"--fidelis.mongodb.embedded.data-dir=" + dataDir));
		// "default": no -Xmx, the JVM's own choice (a quarter of the memory), as `java -jar` runs Fidelis
		String heap = System.getProperty("benchmark.heap", "512m");
		if (!heap.equals("default")) {
			command.add(1, "-Xmx" + heap);
		}
		String recording = System.getProperty("benchmark.jfr");
		if (recording != null) {
			// a profile of the node while it is driven: jfr print --events jdk.ExecutionSample <file>
			command.add(1, "-XX:StartFlightRecording=settings=profile,filename=" + recording);
		}
		else if (profiled) {
			command.add(1, "-XX:StartFlightRecording=settings=" + finerSampling(dataDir.resolveSibling("node.jfc"))
					+ ",name=" + RECORDING);
		}
		if (recording != null || profiled) {
			// Spring's filter chains and GraphQL run deeper than JFR's default 64 frames: cut stacks lose their callers
			command.add(1, "-XX:FlightRecorderOptions=stackdepth=512");
		}
		// JVM options for the node in an experiment, e.g. -Dbenchmark.jvmArgs="-XX:-UseCodeCacheFlushing"
		String jvmArgs = System.getProperty("benchmark.jvmArgs", "").strip();
		if (!jvmArgs.isEmpty()) {
			command.addAll(1, List.of(jvmArgs.split("\\s+")));
		}
		command.addAll(List.of(extraArgs));
		this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	void awaitHealthy(Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("Fidelis exited with " + process.exitValue() + "; the end of its log:\n" + logTail());
			}
			try {
				HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("Fidelis did not become healthy within " + timeout);
	}

	/**
	 * The JDK's "profile" settings with Java code sampled every 2 ms instead of 10: a 15 s window
	 * then holds enough samples to rank methods.
	 */
	private static Path finerSampling(Path file) throws IOException {
		String profile = java.nio.file.Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
		String finer = profile.replace("<setting name=\"period\" control=\"method-sampling-java-interval\">10 ms</setting>",
				"<setting name=\"period\" control=\"method-sampling-java-interval\">2 ms</setting>");
		if (finer.equals(profile)) {
			throw new IllegalStateException("This JDK's profile.jfc has no 10 ms Java sampling to refine");
		}
		return java.nio.file.Files.writeString(file, finer);
	}

	/** Writes what the node recorded so far (started {@code profiled}) to {@code file}, with the JDK's jcmd. */
	Path profile(Path file) throws IOException, InterruptedException {
		Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(process.pid()), "JFR.dump", "name=" + RECORDING, "filename=" + file.toAbsolutePath())
				.redirectErrorStream(true).start();
		String said = new String(dump.getInputStream().readAllBytes());
		if (dump.waitFor() != 0 || !java.nio.file.Files.exists(file)) {
			throw new IOException("jcmd could not dump the node's recording: " + said);
		}
		return file;
	}

	/**
	 * Bytes of the objects alive on the node's heap, from a class histogram (which collects first:
	 * {@code jcmd <pid> GC.class_histogram}): for the embedded store, what its data takes in memory.
	 */
	long liveHeapBytes() throws IOException, InterruptedException {
		Process histogram = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
		String said = new String(histogram.getInputStream().readAllBytes());
		if (histogram.waitFor() != 0) {
			throw new IOException("jcmd could not take the node's class histogram: " + said);
		}
		Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(said);
		if (!total.find()) {
			throw new IOException("No total in the node's class histogram: " + said.lines().limit(5).toList());
		}
		return Long.parseLong(total.group(1));
	}

	/** CPU time the node's process has used so far, all threads (from the OS). */
	Duration cpuTime() {
		return process.toHandle().info().totalCpuDuration()
				.orElseThrow(() -> new IllegalStateException("This OS does not tell a process's CPU time"));
	}

	/** kill -9: no shutdown hook, no final commit. */
	/** The node's threads and what each is doing now (jcmd Thread.print), for a test that waited in vain. */
	String threads() throws IOException, InterruptedException {
		Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
		String said = new String(dump.getInputStream().readAllBytes());
		dump.waitFor();
		return said;
	}

	void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor();
	}

	String token(String form) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri("/dev-issuer/token")).header("Accept", "text/plain")
				.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
				.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body().strip();
	}

	/** Posts a GraphQL document; returns the raw JSON answer. */
	String graphQl(String token, String query) throws IOException, InterruptedException {
		return post(token, "{\"query\":" + quote(query) + "}");
	}

	/** Posts a GraphQL document with variables; returns the parsed answer. */
	JsonNode graphQl(String token, String query, Map<String, Object> variables) throws IOException, InterruptedException {
		return JSON.readTree(post(token, JSON.writeValueAsString(Map.of("query", query, "variables", variables))));
	}

	/** A bound, not an expectation: 16 callers on one hot account across two nodes wait long on a loaded machine. */
	private String post(String token, String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri("/graphql")).timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)).build();
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	/** A GET without a token, e.g. an actuator endpoint. */
	String get(String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	/** Milliseconds the node's JIT compilers have worked so far (Micrometer's {@code jvm.compilation.time}). */
	double jitMillis() throws IOException, InterruptedException {
		return counter("jvm_compilation_time_ms_total");
	}

	/**
	 * CPU time the node's JIT compiler threads used, in milliseconds (Linux: from /proc; -1
	 * elsewhere). The JVM's own compilation time is wall time: on two busy cores a compiler
	 * thread waiting for its turn counts there as compiling.
	 */
	double compilerCpuMillis() {
		return threadCpuMillis("C[12] CompilerThre.*");
	}

	/**
	 * CPU time the node's garbage collector threads used, in milliseconds (Linux: from /proc; -1
	 * elsewhere): the parallel workers of its pauses and G1's concurrent marking and refinement.
	 */
	double collectorCpuMillis() {
		return threadCpuMillis("GC Thread#\\d+|G1 .*");
	}

	/** CPU time of the node's threads whose OS name matches, in milliseconds; -1 where /proc is missing. */
	private double threadCpuMillis(String names) {
		Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
		if (!Files.isDirectory(tasks)) {
			return -1;
		}
		long ticks = 0;
		try (var threads = Files.list(tasks)) {
			for (Path task : threads.toList()) {
				try {
					if (!Files.readString(task.resolve("comm")).strip().matches(names)) {
						continue;
					}
					String stat = Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
				}
				catch (IOException e) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException e) {
			return -1;
		}
		return ticks * 10.0; // USER_HZ is 100 on Linux
	}

	/** A counter from /actuator/prometheus by its exposed name, summed over its tags. */
	double counter(String name) throws IOException, InterruptedException {
		double sum = 0;
		boolean found = false;
		for (String line : get("/actuator/prometheus").split("\n")) {
			if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				found = true;
			}
		}
		if (!found) {
			throw new IllegalStateException("The node exposes no " + name);
		}
		return sum;
	}

	/** The embedded store's counters from /actuator/prometheus: log records, syncs, and scans summed over collections. */
	StoreCounters storeCounters() throws IOException, InterruptedException {
		double records = 0;
		double syncs = 0;
		double scans = 0;
		java.util.Map<String, Double> scansByCollection = new java.util.TreeMap<>();
		java.util.Map<String, Double> changesByCollection = new java.util.TreeMap<>();
		java.util.Map<String, Double> commands = new java.util.TreeMap<>();
		for (String line : get("/actuator/prometheus").split("\n")) {
			if (line.startsWith("#")) {
				continue;
			}
			double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			if (line.startsWith("fidelis_store_log_records_total")) {
				records = value;
			}
			else if (line.startsWith("fidelis_store_log_syncs_total")) {
				syncs = value;
			}
			else if (line.startsWith("fidelis_store_changes_total")) {
				Matcher m = COLLECTION_TAG.matcher(line);
				if (m.find()) {
					changesByCollection.put(m.group(1), value);
				}
			}
			else if (line.startsWith("fidelis_store_commands_total")) {
				Matcher collection = COLLECTION_TAG.matcher(line);
				Matcher command = COMMAND_TAG.matcher(line);
				if (collection.find() && command.find()) {
					commands.put(collection.group(1).replace("fidelis.", "") + " " + command.group(1), value);
				}
			}
			else if (line.startsWith("fidelis_store_scans_total")) {
				scans += value;
				Matcher m = COLLECTION_TAG.matcher(line);
				if (m.find()) {
					scansByCollection.put(m.group(1), value);
				}
			}
		}
		return new StoreCounters(records, syncs, scans, scansByCollection, changesByCollection, commands);
	}

	/**
	 * @param changesByCollection documents written or removed, by collection
	 * @param commands            commands served (reads too), by "collection command"
	 */
	record StoreCounters(double records, double syncs, double scans, java.util.Map<String, Double> scansByCollection,
			java.util.Map<String, Double> changesByCollection, java.util.Map<String, Double> commands) {
		StoreCounters minus(StoreCounters earlier) {
			return new StoreCounters(records - earlier.records, syncs - earlier.syncs, scans - earlier.scans,
					grown(scansByCollection, earlier.scansByCollection),
					grown(changesByCollection, earlier.changesByCollection), grown(commands, earlier.commands));
		}

		double commandCount() {
			return commands.values().stream().mapToDouble(Double::doubleValue).sum();
		}

		private static java.util.Map<String, Double> grown(java.util.Map<String, Double> now,
				java.util.Map<String, Double> before) {
			java.util.Map<String, Double> grown = new java.util.TreeMap<>();
			now.forEach((c, v) -> {
				double d = v - before.getOrDefault(c, 0.0);
				if (d > 0) {
					grown.put(c, d);
				}
			});
			return grown;
		}
	}

	static String firstId(String json) {
		Matcher m = ID.matcher(json);
		return m.find() ? m.group(1) : null;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
	}

	/** The last lines the node wrote, to say why it stopped. */
	private String logTail() {
		try {
			List<String> lines = java.nio.file.Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException e) {
			return "(unreadable: " + e + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) {
			process.destroy();
			process.waitFor();
		}
	}
}
