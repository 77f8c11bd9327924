package io.fidelis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a command-line tool some tests drive (node, npm, openssl) is installed here. */
public final class Installed {

	private Installed() {
	}

	/**
	 * A Node script of the test suite, run as its own tests do: skipped (saying why) where node or
	 * npm is missing, its packages installed with {@code npm ci}, then {@link #node} and its output.
	 */
	public static String nodeProject(Path dir, String script, String fidelisUrl, String needs)
			throws java.io.IOException, InterruptedException {
		org.junit.jupiter.api.Assumptions.assumeTrue(onPath("node") && onPath("npm"),
				"node and npm are not installed here; " + needs + " needs them");
		org.assertj.core.api.Assertions.assertThat(npmCi(dir)).as("npm ci in " + dir).isNull();
		return node(dir, script, fidelisUrl);
	}

	/** Runs {@code npm ci} in {@code dir} unless its node_modules exist; null when done, npm's last line when it failed. */
	public static String npmCi(Path dir) throws java.io.IOException, InterruptedException {
		if (Files.isDirectory(dir.resolve("node_modules"))) {
			return null;
		}
		Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
				.redirectErrorStream(true).start();
		String log = new String(install.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (!install.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || install.exitValue() != 0) {
			return log.lines().reduce((a, b) -> b).orElse("npm ci failed");
		}
		return null;
	}

	/**
	 * Runs {@code node script} in {@code dir} against a live Fidelis at {@code fidelisUrl} (as
	 * {@code FIDELIS_URL}) and answers what it printed; fails the test when it does not end
	 * within two minutes or ends in error.
	 */
	public static String node(Path dir, String script, String fidelisUrl) throws java.io.IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("node", script).directory(dir.toFile());
		builder.environment().put("FIDELIS_URL", fidelisUrl);
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		org.assertj.core.api.Assertions.assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
		org.assertj.core.api.Assertions.assertThat(process.exitValue()).as(err + out).isZero();
		return out;
	}

	/** Runs {@code npm run script} in {@code dir}; null when done, its output when it failed. */
	public static String npmRun(Path dir, String script) throws java.io.IOException, InterruptedException {
		Process run = new ProcessBuilder("npm", "run", "--silent", script).directory(dir.toFile()).redirectErrorStream(true)
				.start();
		String log = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		if (!run.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || run.exitValue() != 0) {
			return log.isBlank() ? "npm run " + script + " failed" : log;
		}
		return null;
	}

	public static boolean onPath(String command) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}
}
