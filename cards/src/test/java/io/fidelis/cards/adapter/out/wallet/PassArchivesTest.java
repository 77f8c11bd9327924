package io.fidelis.cards.adapter.out.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written zip of already deflated entries reads back whole, by its local headers and by its directory. */
class PassArchivesTest {

	@Test
	void every_entry_reads_back_as_written_by_stream_by_directory_and_by_unzip(@TempDir Path dir) throws Exception {
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put("pass.json", "{\"formatVersion\":1,\"description\":\"Café\"}".getBytes(StandardCharsets.UTF_8));
		byte[] noise = new byte[40_000];
		new Random(7).nextBytes(noise);
		files.put("logo@2x.png", noise);
		files.put("en.lproj/pass.strings", "\"balance\" = \"Points\";\n".repeat(50).getBytes(StandardCharsets.UTF_8));
		files.put("empty", new byte[0]);
		List<PassArchives.Entry> entries = files.entrySet().stream()
				.map(f -> PassArchives.Entry.of(f.getKey(), f.getValue(), Deflater.BEST_SPEED)).toList();
		byte[] zip = PassArchives.zip(entries);

		Map<String, byte[]> streamed = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
			for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
				streamed.put(entry.getName(), in.readAllBytes());
			}
		}
		assertThat(streamed.keySet()).containsExactlyElementsOf(files.keySet());
		files.forEach((name, content) -> assertThat(streamed.get(name)).as(name).isEqualTo(content));

		Path file = dir.resolve("pass.pkpass");
		Files.write(file, zip);
		try (ZipFile read = new ZipFile(file.toFile())) {
			assertThat(read.size()).isEqualTo(files.size());
			for (Map.Entry<String, byte[]> f : files.entrySet()) {
				ZipEntry entry = read.getEntry(f.getKey());
				assertThat(entry.getSize()).isEqualTo(f.getValue().length);
				assertThat(read.getInputStream(entry).readAllBytes()).isEqualTo(f.getValue());
			}
		}
		if (Files.isExecutable(Path.of("/usr/bin/unzip"))) {
			Process test = new ProcessBuilder("/usr/bin/unzip", "-tq", file.toString()).redirectErrorStream(true).start();
			String said = new String(test.getInputStream().readAllBytes());
			assertThat(test.waitFor()).as(said).isZero();
		}
	}
}
