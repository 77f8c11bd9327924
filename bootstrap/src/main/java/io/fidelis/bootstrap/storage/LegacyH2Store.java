package io.fidelis.bootstrap.storage;

import java.io.IOException;
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
		Listing h2 = new Listing(file.toString());
		long documents;
		try (StoreFiles.CheckpointWriter checkpoint = files.createCheckpoint(0)) {
			for (String databaseName : Set.copyOf(h2.databaseNames())) {
				MongoDatabase database = h2.resolveDatabase(databaseName);
				copy(database, databaseName, "system.namespaces", "name", checkpoint);
				copy(database, databaseName, "system.indexes", null, checkpoint);
				MongoCollection<?> namespaces = database.resolveCollection("system.namespaces", false);
				if (namespaces == null) {
					continue;
				}
				for (Document namespace : namespaces.queryAll()) {
					String collection = namespace.get("name").toString().substring(databaseName.length() + 1);
					copy(database, databaseName, collection, "_id", checkpoint);
				}
			}
			documents = checkpoint.documents();
			checkpoint.publish();
		}
		finally {
			h2.close();
		}
		Files.move(file, file.resolveSibling(file.getFileName() + ".migrated"));
		files.syncDirectory();
		log.info("Copied {} documents; {} is now {}.migrated and no longer used", documents, file, file.getFileName());
	}

	/** Copies one collection; its id field decides the keys, as {@link StoredCollection} will. */
	private static void copy(MongoDatabase database, String databaseName, String name, String idField,
			StoreFiles.CheckpointWriter checkpoint) throws IOException {
		MongoCollection<?> collection = database.resolveCollection(name, false);
		if (collection == null) {
			return;
		}
		for (Document document : collection.queryAll()) {
			checkpoint.put(databaseName, name, StoreRecord.key(StoreRecord.keyOf(idField, document)), StoreRecord.bson(document));
			if (checkpoint.documents() % 2_000 == 0) {
				checkpoint.flush();
			}
		}
		checkpoint.flush();
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
