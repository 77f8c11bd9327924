package io.fidelis.bootstrap.storage;

import java.util.ArrayDeque;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Holds a connection's replies until everything the store's log held when the reply was made is
 * on disk: the command's own changes and any change it may have read or collided with. The I/O
 * thread goes on with other connections meanwhile; the log's flusher hands the reply back to the
 * connection's event loop once its sync is done. Replies leave in the order they were made. If
 * the log fails, the held replies are never sent and the connection is closed: the client cannot
 * tell whether its write applied, as after any lost connection, and retries with its key.
 *
 * <p>This replaces a wait on the I/O thread, which needed one thread per connection (256) so that
 * waiting writers never held up others, and two thread hand-offs per write on two cores.
 */
final class DurableReplies extends ChannelOutboundHandlerAdapter {

	private record Held(Object reply, ChannelPromise promise, long sequence) {
	}

	private final WriteAheadLog log;
	/** Only ever touched on the connection's event loop. */
	private final ArrayDeque<Held> held = new ArrayDeque<>();
	private boolean flushWanted;

	DurableReplies(WriteAheadLog log) {
		this.log = log;
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object reply, ChannelPromise promise) {
		if (log.failed()) {
			// made since the failure: the refusal itself, and the handshake, which holds no data, go out
			if (held.isEmpty() && madeSinceFailure(reply)) {
				ctx.write(reply, promise);
			}
			else {
				held.add(new Held(reply, promise, Long.MAX_VALUE));
				release(ctx);
			}
			return;
		}
		long sequence = log.appended();
		if (held.isEmpty() && log.durable() >= sequence && !log.failed()) {
			ctx.write(reply, promise);
			return;
		}
		held.add(new Held(reply, promise, sequence));
		if (held.size() == 1 && !log.whenDurable(sequence, () -> ctx.executor().execute(() -> release(ctx)))) {
			ctx.executor().execute(() -> release(ctx));
		}
	}

	@Override
	public void flush(ChannelHandlerContext ctx) {
		if (held.isEmpty()) {
			ctx.flush();
		}
		else {
			flushWanted = true; // the release flushes
		}
	}

	/** A reply that tells nothing the disk may not hold: the log's refusal, or a handshake. */
	private static boolean madeSinceFailure(Object reply) {
		java.util.List<de.bwaldvogel.mongo.bson.Document> documents = reply instanceof de.bwaldvogel.mongo.wire.message.MongoMessage m
				? java.util.Collections.singletonList(m.getDocument())
				: reply instanceof de.bwaldvogel.mongo.wire.message.MongoReply r ? r.getDocuments() : java.util.List.of();
		if (documents.size() != 1 || documents.get(0) == null) {
			return false;
		}
		de.bwaldvogel.mongo.bson.Document document = documents.get(0);
		return String.valueOf(document.get("errmsg")).startsWith(WriteAheadLog.FAILED) || document.containsKey("ismaster")
				|| document.containsKey("isWritablePrimary");
	}

	/** Sends what is durable now, in order; waits again for the first that is not. */
	private void release(ChannelHandlerContext ctx) {
		if (log.failed()) {
			while (!held.isEmpty()) {
				held.poll().promise().tryFailure(new java.io.IOException(WriteAheadLog.FAILED));
			}
			ctx.close();
			return;
		}
		boolean sent = false;
		while (!held.isEmpty() && held.peek().sequence() <= log.durable()) {
			Held next = held.poll();
			ctx.write(next.reply(), next.promise());
			sent = true;
		}
		if (sent) {
			flushWanted = false;
			ctx.flush();
		}
		if (!held.isEmpty()) {
			long sequence = held.peek().sequence();
			if (!log.whenDurable(sequence, () -> ctx.executor().execute(() -> release(ctx)))) {
				ctx.executor().execute(() -> release(ctx));
			}
		}
	}
}
