package io.fidelis.durability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server, whose link the test cuts (every connection
 * reset, new ones refused) and restores: the network vanishing under a running Fidelis.
 */
final class CuttableProxy implements AutoCloseable {

	private final int targetPort;
	private final int port;
	private final List<Socket> open = new CopyOnWriteArrayList<>();
	private volatile ServerSocket listener;

	CuttableProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			this.port = probe.getLocalPort();
		}
		restore();
	}

	int port() {
		return port;
	}

	synchronized void restore() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		listener = socket;
		Thread accept = new Thread(() -> accept(socket), "proxy-accept");
		accept.setDaemon(true);
		accept.start();
	}

	/** Resets every connection and refuses new ones until {@link #restore()}. */
	synchronized void cut() throws IOException {
		listener.close();
		for (Socket s : open) {
			try {
				s.setSoLinger(true, 0);
				s.close();
			}
			catch (IOException alreadyClosed) {
				// its pipe closed it
			}
		}
		open.clear();
	}

	private void accept(ServerSocket socket) {
		while (!socket.isClosed()) {
			try {
				Socket client = socket.accept();
				Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
				open.add(client);
				open.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException e) {
				// closed by cut(), or a connection that failed: either way the next accept decides
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread t = new Thread(() -> {
			byte[] buffer = new byte[16_384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException e) {
				// the other side went away
			}
			finally {
				try {
					from.close();
					to.close();
				}
				catch (IOException ignored) {
					// already closed
				}
			}
		}, "proxy-pipe");
		t.setDaemon(true);
		t.start();
	}

	@Override
	public void close() throws IOException {
		cut();
	}
}
