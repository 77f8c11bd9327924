package io.fidelis.durability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a node's CPU went while a call was driven: the node's JFR execution samples (every
 * thread, so a call's listeners count too) by layer. A sample belongs to the layer of its
 * innermost frame outside the JDK: time in a {@code HashMap} called by graphql-java is the
 * engine's.
 */
final class NodeProfile {

	/** One call's stretch of the run, from its first request until its listeners caught up. */
	record Window(String call, int callers, Instant from, Instant to) {
	}

	/** Samples of one window by layer, and by the method each sample was in (innermost non-JDK frame). */
	record Shares(int samples, Map<String, Integer> byLayer, Map<String, Map<String, Integer>> methodsByLayer) {

		/** A results-page table: layer, share, the methods that took most of it. */
		String table(int methodsPerLayer) {
			StringBuilder table = new StringBuilder("| layer | share of samples | where (share of all samples) |\n|---|---|---|\n");
			byLayer.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(layer -> {
				String methods = methodsByLayer.getOrDefault(layer.getKey(), Map.of()).entrySet().stream()
						.sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(methodsPerLayer)
						.map(m -> String.format("`%s` %.1f %%", m.getKey(), 100.0 * m.getValue() / samples))
						.collect(java.util.stream.Collectors.joining(", "));
				table.append(String.format("| %s | %.1f %% | %s |%n", layer.getKey(), 100.0 * layer.getValue() / samples,
						methods));
			});
			return table.toString();
		}
	}

	/**
	 * A results-page section: each call's layers at the most callers of the run.
	 *
	 * @param callers what the run counts callers as ("callers", "connections")
	 * @param until   how a call's window ends, and anything else the reader should know
	 */
	static String section(FidelisNode node, java.nio.file.Path dir, List<Window> windows, String callers, String until)
			throws IOException, InterruptedException {
		int most = windows.stream().mapToInt(Window::callers).max().orElse(0);
		StringBuilder text = new StringBuilder(String.format("%n## Where a call's CPU goes, at %d %s%n%n"
				+ "JFR execution samples of the node (every thread: HTTP, listeners, the embedded store), from a call's "
				+ "first request %s A sample counts for the layer of its innermost frame outside the JDK.%n", most, callers,
				until));
		read(node.profile(dir.resolve("node.jfr")), windows.stream().filter(w -> w.callers() == most).toList())
				.forEach((window, shares) -> text.append(String.format("%n### %s (%d samples)%n%n%s", window.call(),
						shares.samples(), shares.table(3))));
		return text.toString();
	}

	/** Package prefixes to layers, first match wins. */
	private static final List<String[]> LAYERS = List.of(
			new String[] { "io.fidelis.bootstrap.storage.", "store" },
			new String[] { "de.bwaldvogel.", "store" },
			new String[] { "io.netty.", "store" }, // the embedded server's transport; Tomcat serves HTTP
			new String[] { "org.h2.", "store" },
			new String[] { "com.mongodb.", "driver" },
			new String[] { "org.bson.", "driver" },
			new String[] { "io.fidelis.bootstrap.security.", "security" },
			new String[] { "org.springframework.security.", "security" },
			new String[] { "com.nimbusds.", "security" },
			new String[] { "graphql.", "GraphQL engine" },
			new String[] { "org.springframework.graphql.", "GraphQL engine" },
			new String[] { "org.dataloader.", "GraphQL engine" },
			new String[] { "io.fidelis.bootstrap.graphql.", "GraphQL engine" },
			new String[] { "io.micrometer.", "observations" },
			new String[] { "org.springframework.modulith.", "module events" },
			new String[] { "io.fidelis.", "Fidelis" },
			new String[] { "org.apache.", "HTTP" },
			new String[] { "jakarta.servlet.", "HTTP" },
			new String[] { "org.springframework.web.", "HTTP" },
			new String[] { "tools.jackson.", "JSON" },
			new String[] { "com.fasterxml.", "JSON" },
			new String[] { "org.springframework.", "Spring (other)" },
			new String[] { "reactor.", "Spring (other)" });

	private NodeProfile() {
	}

	/** Reads a recording and answers each window's shares (windows without samples are left out). */
	static Map<Window, Shares> read(Path recording, List<Window> windows) throws IOException {
		Map<Window, int[]> totals = new LinkedHashMap<>();
		Map<Window, Map<String, Integer>> layers = new LinkedHashMap<>();
		Map<Window, Map<String, Map<String, Integer>>> methods = new LinkedHashMap<>();
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				if (!"jdk.ExecutionSample".equals(event.getEventType().getName()) || event.getStackTrace() == null) {
					continue;
				}
				Instant at = event.getStartTime();
				for (Window window : windows) {
					if (!at.isBefore(window.from()) && at.isBefore(window.to())) {
						String[] where = classify(event.getStackTrace().getFrames());
						totals.computeIfAbsent(window, w -> new int[1])[0]++;
						layers.computeIfAbsent(window, w -> new LinkedHashMap<>()).merge(where[0], 1, Integer::sum);
						methods.computeIfAbsent(window, w -> new LinkedHashMap<>())
								.computeIfAbsent(where[0], l -> new LinkedHashMap<>()).merge(where[1], 1, Integer::sum);
						break;
					}
				}
			}
		}
		Map<Window, Shares> shares = new LinkedHashMap<>();
		windows.stream().filter(totals::containsKey).sorted(Comparator.comparing(Window::from))
				.forEach(w -> shares.put(w, new Shares(totals.get(w)[0], layers.get(w), methods.get(w))));
		return shares;
	}

	/** The layer and method of a sample: its innermost frame outside the JDK. */
	private static String[] classify(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String type = frame.getMethod().getType().getName();
			if (isJdk(type)) {
				continue;
			}
			String method = simpleName(type) + "." + frame.getMethod().getName();
			for (String[] layer : LAYERS) {
				if (type.startsWith(layer[0])) {
					return new String[] { layer[1], method };
				}
			}
			return new String[] { "other", method };
		}
		String leaf = frames.isEmpty() ? "?" : simpleName(frames.get(0).getMethod().getType().getName()) + "."
				+ frames.get(0).getMethod().getName();
		return new String[] { "JDK only (sockets, threads)", leaf };
	}

	private static boolean isJdk(String type) {
		return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.") || type.startsWith("sun.")
				|| type.startsWith("com.sun.");
	}

	/** {@code a.b.Outer$Inner} → {@code Outer$Inner}: short enough for a table, still findable. */
	private static String simpleName(String type) {
		return type.substring(type.lastIndexOf('.') + 1);
	}
}
