package io.fidelis.bootstrap.storage;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The embedded server's H2 backend, made durable per acknowledged write.
 *
 * <p>MVStore commits in the background about once a second, so a kill -9 loses the writes of
 * the last second although the client already holds an acknowledgement. Here every write
 * command is committed before its reply leaves the server. Concurrent writers share one commit
 * (group commit): a writer whose change was already covered by another writer's commit returns
 * at once. Committing on the server side covers every client, including a second Fidelis node
 * that points its URI at this one.
 */
final class DurableH2Backend extends H2Backend {

	private static final Set<String> WRITE_COMMANDS = Set.of("insert", "update", "delete", "findandmodify",
			"create", "createindexes", "drop", "dropdatabase", "dropindexes", "renamecollection");

	private final AtomicLong writesApplied = new AtomicLong();
	private final Object commitLock = new Object();
	private long writesCommitted;

	DurableH2Backend(String fileName) {
		super(fileName);
		// Old chunks are kept for the retention time in case the OS has not flushed them; we sync
		// every commit, so a short retention is safe and keeps the file from ballooning (with the
		// default 45 s, a few thousand enrollments grew it to 800 MB).
		getMvStore().setRetentionTime(1_000);
	}

	@Override
	public Document handleCommand(Channel channel, String database, String command, Document query) {
		if (!WRITE_COMMANDS.contains(command.toLowerCase())) {
			return super.handleCommand(channel, database, command, query);
		}
		try {
			return super.handleCommand(channel, database, command, query);
		}
		finally {
			// also after a failed command: an ordered batch may have applied part of its documents
			makeDurable(writesApplied.incrementAndGet());
		}
	}

	private void makeDurable(long ticket) {
		synchronized (commitLock) {
			if (writesCommitted >= ticket) {
				return; // another writer's commit already covered this write
			}
			long upTo = writesApplied.get();
			commit();
			getMvStore().sync(); // survive a power cut too, not only a killed process
			writesCommitted = upTo;
		}
	}
}
