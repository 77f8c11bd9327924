package io.fidelis.bootstrap.storage;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoThreadFactory;
import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The embedded store on the MongoDB wire: mongo-java-server's own pipeline (its {@code MongoServer}
 * builds it with no way in), with {@link DurableReplies} holding each reply until the log has it
 * on disk, so that an I/O thread never waits for a disk and a few of them serve every connection.
 */
final class StoreServer implements AutoCloseable {

	private final DurableMemoryBackend store;
	private EventLoopGroup boss;
	private EventLoopGroup workers;
	private ChannelGroup connections;
	private Channel listening;

	StoreServer(DurableMemoryBackend store) {
		this.store = store;
	}

	/** Listens on {@code address} (port 0: any free one) with {@code ioThreads} event loops; answers where it listens. */
	InetSocketAddress bind(InetSocketAddress address, int ioThreads) {
		boss = new NioEventLoopGroup(1, new MongoThreadFactory("fidelis-store-accept"));
		workers = new NioEventLoopGroup(ioThreads, new MongoThreadFactory("fidelis-store-io"));
		connections = new DefaultChannelGroup("fidelis-store-connections", workers.next());
		try {
			listening = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
					.option(ChannelOption.SO_BACKLOG, 100).localAddress(address)
					.childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
					.childHandler(new ChannelInitializer<SocketChannel>() {
						@Override
						public void initChannel(SocketChannel channel) {
							channel.pipeline().addLast(new MongoWireReplyEncoder());
							channel.pipeline().addLast(new MongoWireMessageEncoder());
							channel.pipeline().addLast(new MongoWireProtocolHandler());
							channel.pipeline().addLast(new MongoDatabaseHandler(store, connections));
							channel.pipeline().addLast(new MongoExceptionHandler());
							if (store.log() != null) {
								// last, so that the handler's replies meet it before the encoders
								channel.pipeline().addLast(new DurableReplies(store.log()));
							}
						}
					}).bind().syncUninterruptibly().channel();
		}
		catch (RuntimeException e) {
			close();
			throw e;
		}
		return (InetSocketAddress) listening.localAddress();
	}

	/** Stops listening, closes every connection, then the store (its last checkpoint). */
	@Override
	public void close() {
		if (listening != null) {
			listening.close().syncUninterruptibly();
			listening = null;
		}
		if (connections != null) {
			connections.close().syncUninterruptibly();
		}
		for (EventLoopGroup group : new EventLoopGroup[] { boss, workers }) {
			if (group != null) {
				group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
			}
		}
		store.close();
	}
}
