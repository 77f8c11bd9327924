package io.fidelis.bootstrap.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Data written by Fidelis versions that kept the embedded store in an H2 MVStore file
 * ({@code fidelis.mv}): copied once into a first checkpoint, after which the file is renamed to
 * {@code fidelis.mv.migrated} and left for the operator to delete.
 */
final class LegacyH2Store {

	private static final Logger log = LoggerFactory.getLogger(LegacyH2Store.class);

	private LegacyH2Store() {
	}

	static void migrateIfPresent(Path file, StoreFiles files) throws IOException {
		if (!Files.exists(file)) {
			return;
		}
		log.info("Copying the embedded store's data from {} (an earlier Fidelis version's H2 file)", file);
		long documents = 0;
		Listing h2 = new Listing(file.toString());
		try (FileChannel out = files.createCheckpoint(0)) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
			for (String databaseName : Set.copyOf(h2.databaseNames())) {
				MongoDatabase database = h2.resolveDatabase(databaseName);
				for (String system : new String[] { "system.namespaces", "system.indexes" }) {
					documents += copy(database.resolveCollection(system, false), databaseName, system, buffer, out);
				}
				MongoCollection<?> namespaces = database.resolveCollection("system.namespaces", false);
				if (namespaces == null) {
					continue;
				}
				for (Document namespace : namespaces.queryAll()) {
					String collection = namespace.get("name").toString().substring(databaseName.length() + 1);
					documents += copy(database.resolveCollection(collection, false), databaseName, collection, buffer, out);
				}
			}
			buffer.writeBytes(StoreRecord.end());
			write(out, buffer);
			out.force(true);
		}
		finally {
			h2.close();
		}
		files.publish(0);
		Files.move(file, file.resolveSibling(file.getFileName() + ".migrated"));
		files.syncDirectory();
		log.info("Copied {} documents; {} is now {}.migrated and no longer used", documents, file, file.getFileName());
	}

	private static long copy(MongoCollection<?> collection, String database, String name, ByteArrayOutputStream buffer,
			FileChannel out) throws IOException {
		if (collection == null) {
			return 0;
		}
		long copied = 0;
		boolean indexes = name.equals("system.indexes");
		String idField = name.equals("system.namespaces") ? "name" : "_id";
		for (Document document : collection.queryAll()) {
			Object key = indexes ? new Document("ns", document.get("ns")).append("name", document.get("name"))
					: document.get(idField);
			buffer.writeBytes(StoreRecord.put(database, name, key, document));
			copied++;
			if (buffer.size() > 1 << 20) {
				write(out, buffer);
			}
		}
		write(out, buffer);
		return copied;
	}

	private static void write(FileChannel out, ByteArrayOutputStream buffer) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
		while (bytes.hasRemaining()) {
			out.write(bytes);
		}
		buffer.reset();
	}

	/** The H2 backend, opened only to list and read what it holds. */
	private static final class Listing extends H2Backend {
		Listing(String fileName) {
			super(fileName);
		}

		Set<String> databaseNames() {
			return listDatabaseNames();
		}
	}
}
