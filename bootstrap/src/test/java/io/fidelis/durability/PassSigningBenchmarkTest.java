package io.fidelis.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.fidelis.cards.adapter.out.wallet.JpasskitPasses;
import io.fidelis.cards.adapter.out.wallet.WalletCredentials;
import io.fidelis.cards.domain.CardDesign;
import io.fidelis.cards.domain.WalletCard;
import io.fidelis.wallet.WalletFixtures;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed passes per second: Fidelis (jpasskit, BouncyCastle) against the npm package
 * passkit-generator, building the same pass (Fidelis' own pass.json, images and strings) with the
 * same certificates, in one run. Each pass differs (serial, balance, barcode) and is complete: a
 * zipped .pkpass with manifest and signature.
 */
@Tag("benchmark")
class PassSigningBenchmarkTest {

	static final int PASSES = Integer.getInteger("benchmark.passes", 1_000);
	static final Path NODE_BENCH = Path.of(System.getProperty("user.dir")).resolveSibling("cards")
			.resolve("src/test/node/passkit-bench");

	final WalletFixtures fixtures = new WalletFixtures();
	final JpasskitPasses passes = new JpasskitPasses(WalletFixtures.PASS_TYPE, WalletFixtures.TEAM,
			"https://loyalty.example.com", new WalletCredentials(fixtures.pass.certificate(), fixtures.pass.key(),
					fixtures.ca.certificate(), (java.security.interfaces.RSAPrivateKey) fixtures.google.getPrivate(),
					false, Instant.now()));
	final CardDesign design = CardDesign.standard("acme", "Acme Rewards");

	WalletCard card(int i) {
		return WalletCard.issue("bench-" + i, "m_" + i, "acme", "4242123412341234", "Alice Martin", "Gold",
				"0123456789abcdefghij", Instant.parse("2026-11-27T10:00:00Z"))
				.withBalance(i * 7L, 0, 1, 0, null, Instant.parse("2026-11-27T10:00:01Z"));
	}

	@Test
	void signed_passes_per_second_fidelis_and_passkit_generator() throws Exception {
		for (int i = 0; i < 100; i++) {
			passes.write(card(i), design); // warm-up: JIT, template cache
		}
		long start = System.nanoTime();
		int bytes = 0;
		for (int i = 0; i < PASSES; i++) {
			bytes = passes.write(card(i), design).length;
		}
		double oneThread = PASSES / ((System.nanoTime() - start) / 1e9);

		int threads = Runtime.getRuntime().availableProcessors();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		start = System.nanoTime();
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int offset = t * PASSES;
			work.add(pool.submit(() -> {
				for (int i = 0; i < PASSES; i++) {
					passes.write(card(offset + i), design);
				}
			}));
		}
		for (Future<?> f : work) {
			f.get(10, TimeUnit.MINUTES);
		}
		double allCores = threads * PASSES / ((System.nanoTime() - start) / 1e9);
		pool.shutdown();

		// the bound: the RSA signature alone, with the same key, on one thread
		java.security.PrivateKey key = fixtures.pass.key();
		byte[] manifest = new byte[700];
		for (int i = 0; i < 100; i++) {
			rsa(key, manifest);
		}
		start = System.nanoTime();
		for (int i = 0; i < PASSES; i++) {
			rsa(key, manifest);
		}
		double rsaAlone = PASSES / ((System.nanoTime() - start) / 1e9);

		String node = nodeFigure();
		String table = String.format("""
				| Implementation | Passes | Passes/s | Pass size |
				|---|---:|---:|---:|
				| Fidelis (jpasskit 0.5.0 pass.json, BouncyCastle 1.81 CMS, the JDK's RSA), 1 thread | %d | %.0f | %d B |
				| Fidelis, %d threads | %d | %.0f | |
				| the RSA-2048 signature alone (JDK, SHA1withRSA), 1 thread | %d | %.0f | |
				%s
				""", PASSES, oneThread, bytes, threads, threads * PASSES, allCores, PASSES, rsaAlone, node);
		String text = "Each pass: build pass.json, SHA-1 manifest of 9 files (6 PNGs, 2 localisations), detached "
				+ "PKCS#7 signature (RSA-2048) with the WWDR intermediate, zip.\n\n" + table
				+ "\npasskit-generator signs with node-forge (RSA in JavaScript) and parses the PEMs again for "
				+ "every pass; run on the same model files and certificates, one pass after another.\n\n"
				+ "Run: `./mvnw -pl bootstrap -am test -Dgroups=benchmark -Dfidelis.excludedGroups=none "
				+ "-Dsurefire.failIfNoSpecifiedTests=false -Dtest=PassSigningBenchmarkTest` (`-Dbenchmark.passes=N`).";
		System.out.println(text);
		BenchmarkResults.write("pass-signing", "Signed Apple Wallet passes per second", text);
		assertThat(oneThread).isPositive();
	}

	private static byte[] rsa(java.security.PrivateKey key, byte[] content) throws Exception {
		java.security.Signature signature = java.security.Signature.getInstance("SHA1withRSA");
		signature.initSign(key);
		signature.update(content);
		return signature.sign();
	}

	/** The same pass through passkit-generator, or why it could not run here. */
	String nodeFigure() throws Exception {
		if (!io.fidelis.Installed.onPath("node") || !io.fidelis.Installed.onPath("npm")) {
			return "| passkit-generator | not run: node or npm is not installed here | | |";
		}
		String npm = io.fidelis.Installed.npmCi(NODE_BENCH);
		if (npm != null) {
			return "| passkit-generator | not run: npm ci failed: " + npm + " | | |";
		}
		Path dir = Files.createTempDirectory("passkit-bench");
		// the model is Fidelis' own pass, unpacked: same pass.json, images and strings
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(passes.write(card(0), design)))) {
			for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
				if (!entry.getName().equals("manifest.json") && !entry.getName().equals("signature")) {
					Path file = dir.resolve("model").resolve(entry.getName());
					Files.createDirectories(file.getParent());
					Files.write(file, zip.readAllBytes());
				}
			}
		}
		Files.writeString(dir.resolve("cert.pem"), fixtures.pass.certificatePem());
		Files.writeString(dir.resolve("key.pem"), fixtures.pass.keyPem());
		Files.writeString(dir.resolve("wwdr.pem"), fixtures.ca.certificatePem());
		int count = Math.max(50, PASSES / 4);
		Process node = new ProcessBuilder("node", "bench.js", "--model", dir.resolve("model").toString(), "--cert",
				dir.resolve("cert.pem").toString(), "--key", dir.resolve("key.pem").toString(), "--wwdr",
				dir.resolve("wwdr.pem").toString(), "--count", Integer.toString(count), "--out",
				dir.resolve("node.pkpass").toString()).directory(NODE_BENCH.toFile()).redirectError(
						ProcessBuilder.Redirect.INHERIT).start();
		String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		if (!node.waitFor(10, TimeUnit.MINUTES) || node.exitValue() != 0) {
			return "| passkit-generator | not run: bench.js failed (see the test output) | | |";
		}
		Map<?, ?> figures = JsonMapper.builder().build().readValue(out, Map.class);
		return String.format("| passkit-generator %s (Node %s), 1 process | %s | %.0f | %s B |", figures.get("version"),
				nodeVersion(), figures.get("passes"), ((Number) figures.get("perSecond")).doubleValue(), figures.get("bytes"));
	}

	static String nodeVersion() throws IOException, InterruptedException {
		Process p = new ProcessBuilder("node", "--version").start();
		String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		p.waitFor();
		return v;
	}

}
