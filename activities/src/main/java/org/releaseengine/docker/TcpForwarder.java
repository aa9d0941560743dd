package org.releaseengine.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Listens on one address of the worker (a gate network's gateway) and joins every connection to one
 * fixed target, the environment URL's host and port. It reads nothing from the connection to pick a
 * target, so a container that reaches it reaches that target and no other.
 */
final class TcpForwarder implements AutoCloseable {

  /** Connections open at once; more wait for the kernel's backlog. */
  private static final int MAX_CONNECTIONS = 64;

  private static final int CONNECT_TIMEOUT_MS = 5000;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private TcpForwarder(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
    this.acceptor = new Thread(this::acceptLoop, "gate-forwarder-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /**
   * Forwards {@code listen}'s {@code preferredPort} (or any free port when that one is taken) to
   * {@code target}.
   */
  static TcpForwarder start(InetAddress listen, int preferredPort, InetSocketAddress target)
      throws IOException {
    ServerSocket server;
    try {
      server = new ServerSocket(preferredPort, 50, listen);
    } catch (IOException taken) {
      server = new ServerSocket(0, 50, listen);
    }
    TcpForwarder forwarder = new TcpForwarder(server, target);
    forwarder.acceptor.start();
    return forwarder;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (open.size() >= 2 * MAX_CONNECTIONS) {
          client.close();
          continue;
        }
        Thread joiner = new Thread(() -> join(client), "gate-forward");
        joiner.setDaemon(true);
        joiner.start();
      } catch (IOException e) {
        // closed, or one failed accept: the loop's condition decides
      }
    }
  }

  private void join(Socket client) {
    Socket upstream = new Socket();
    open.add(client);
    open.add(upstream);
    try {
      upstream.connect(target, CONNECT_TIMEOUT_MS);
      Thread back = new Thread(() -> pump(upstream, client), "gate-forward-back");
      back.setDaemon(true);
      back.start();
      pump(client, upstream);
      back.join();
    } catch (IOException e) {
      // the environment refused or the client left: closing both ends says so
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
      open.remove(client);
      open.remove(upstream);
    }
  }

  /** Copies until {@code from} ends, then ends the write side of {@code to}. */
  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16384];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
    open.forEach(TcpForwarder::closeQuietly);
  }
}
