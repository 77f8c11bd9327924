package io.fidelis.bootstrap.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The in-process MongoDB-wire server used when no URI is configured: development, demos, tests.
 * It listens on a real port so that a second Fidelis node can share it.
 */
final class EmbeddedMongoServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

	private final MongoServer server;
	private final InetSocketAddress address;

	EmbeddedMongoServer(StorageProperties.Embedded settings) {
		H2Backend backend;
		if (settings.inMemory()) {
			backend = H2Backend.inMemory();
		}
		else {
			Path dir = Path.of(settings.dataDir()).toAbsolutePath().normalize();
			try {
				Files.createDirectories(dir);
			}
			catch (IOException e) {
				throw new UncheckedIOException("Cannot create the data directory " + dir, e);
			}
			backend = new DurableH2Backend(dir.resolve("fidelis.mv").toString());
		}
		this.server = new MongoServer(backend);
		this.server.bind(settings.host(), settings.port());
		this.address = server.getLocalAddress();
		log.info("Embedded MongoDB-wire server listening on {}:{} ({})", address.getHostString(), address.getPort(),
				settings.inMemory() ? "in memory" : "data in " + settings.dataDir());
	}

	String connectionString() {
		return "mongodb://" + address.getHostString() + ":" + address.getPort();
	}

	@Override
	public void close() {
		server.shutdown();
	}
}
