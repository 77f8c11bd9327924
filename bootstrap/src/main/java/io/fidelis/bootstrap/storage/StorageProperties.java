package io.fidelis.bootstrap.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Fidelis keeps its data. With {@code uri} set (env {@code FIDELIS_MONGODB_URI}) Fidelis
 * talks to that MongoDB deployment; without it, it starts the embedded server.
 *
 * @param uri          MongoDB connection string of a real deployment, or blank for the embedded server
 * @param database     database name when the URI names none
 * @param transactions {@code off}: Fidelis opens no MongoDB transaction on any store (see
 *                     {@code StorageConfiguration#transactionManager}); {@code auto}, the default of
 *                     earlier versions, means the same; {@code on} is refused at start-up
 * @param embedded     the embedded server's settings
 * @param failFastAfter how long a call waits for an unreachable store before it is refused as
 *                     UNAVAILABLE (server selection); a URI's own {@code serverSelectionTimeoutMS} wins
 * @param socketTimeout longest wait for one answer on an open connection, so that a silent network
 *                     cannot hang a call; a URI's own {@code socketTimeoutMS} wins
 */
@ConfigurationProperties("fidelis.mongodb")
record StorageProperties(String uri, @DefaultValue("fidelis") String database,
		@DefaultValue("off") Transactions transactions, @DefaultValue Embedded embedded,
		@DefaultValue("3s") java.time.Duration failFastAfter, @DefaultValue("15s") java.time.Duration socketTimeout) {

	enum Transactions { AUTO, ON, OFF }

	/**
	 * @param dataDir         directory of the store's log and checkpoints
	 * @param inMemory        keep nothing on disk (tests)
	 * @param host            address the embedded server listens on; loopback unless a second node must reach it
	 * @param port            port it listens on; 0 picks a free one
	 * @param ioThreads       the server's I/O threads (0: two per core); none waits for a disk, since a
	 *                        reply waiting for its sync is held aside ({@link DurableReplies})
	 * @param checkpointAfter log size after which a checkpoint is written (at least the size of the last one)
	 * @param expireEvery     how often documents past their TTL index's age are removed (MongoDB: 60 s)
	 * @param inProcess       this node's own commands go to the engine in-process, without the driver
	 *                        and the wire (other nodes sharing the store always use the wire)
	 */
	record Embedded(@DefaultValue("./data") String dataDir, @DefaultValue("false") boolean inMemory,
			@DefaultValue("127.0.0.1") String host, @DefaultValue("27018") int port,
			@DefaultValue("0") int ioThreads,
			@DefaultValue("64MB") org.springframework.util.unit.DataSize checkpointAfter,
			@DefaultValue("60s") java.time.Duration expireEvery,
			@DefaultValue("true") boolean inProcess) {
	}

	boolean isEmbedded() {
		return uri == null || uri.isBlank();
	}
}
