package io.fidelis.bootstrap.storage;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoServer;

/**
 * The in-process MongoDB-wire server used when no URI is configured: development, demos, tests.
 * It listens on a real port so that a second Fidelis node can share it.
 *
 * <p>A command's reply waits until its changes are on disk, on the server's I/O thread. With
 * Netty's default of two threads per core, no more than that many writers could ever share one
 * disk sync, so the server gets one I/O thread per client connection it may expect.
 */
final class EmbeddedMongoServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

	private final MongoServer server;
	private final DurableMemoryBackend backend;
	private final InetSocketAddress address;

	EmbeddedMongoServer(StorageProperties.Embedded settings) {
		this.backend = settings.inMemory() ? DurableMemoryBackend.inMemory()
				: DurableMemoryBackend.open(Path.of(settings.dataDir()).toAbsolutePath().normalize(),
						settings.checkpointAfter().toBytes());
		backend.expireEvery(settings.expireEvery());
		this.server = new MongoServer(backend);
		// nothing waits for a disk in memory (tests), so Netty's default of two threads per core does
		int ioThreads = settings.inMemory() ? 2 * Runtime.getRuntime().availableProcessors() : settings.ioThreads();
		this.server.bind(new InetSocketAddress(settings.host(), settings.port()), 1, ioThreads);
		this.address = server.getLocalAddress();
		log.info("Embedded MongoDB-wire server listening on {}:{} ({})", address.getHostString(), address.getPort(),
				settings.inMemory() ? "in memory" : "data in " + settings.dataDir());
	}

	String connectionString() {
		return "mongodb://" + address.getHostString() + ":" + address.getPort();
	}

	DurableMemoryBackend store() {
		return backend;
	}

	@Override
	public void close() {
		server.shutdown();
	}
}
