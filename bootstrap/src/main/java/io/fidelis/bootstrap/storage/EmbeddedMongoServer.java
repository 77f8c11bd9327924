package io.fidelis.bootstrap.storage;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The in-process MongoDB-wire server used when no URI is configured: development, demos, tests.
 * It listens on a real port so that a second Fidelis node can share it.
 *
 * <p>A command's reply waits until its changes are on disk, held by {@link DurableReplies} while
 * the I/O thread serves other connections, so a few I/O threads serve them all and every writer
 * waiting at a moment shares one disk sync.
 */
final class EmbeddedMongoServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

	private final StoreServer server;
	private final DurableMemoryBackend backend;
	private final InetSocketAddress address;

	EmbeddedMongoServer(StorageProperties.Embedded settings) {
		this.backend = settings.inMemory() ? DurableMemoryBackend.inMemory()
				: DurableMemoryBackend.open(Path.of(settings.dataDir()).toAbsolutePath().normalize(),
						settings.checkpointAfter().toBytes());
		backend.expireEvery(settings.expireEvery());
		this.server = new StoreServer(backend);
		this.address = server.bind(new InetSocketAddress(settings.host(), settings.port()), settings.ioThreads());
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
		server.close();
	}
}
