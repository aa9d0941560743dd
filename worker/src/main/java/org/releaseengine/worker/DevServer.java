package org.releaseengine.worker;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Temporal server (the SDK's test server, in real time) bound to loopback only. The
 * SDK's own port-bound helper listens on all interfaces, so the gRPC server is built here.
 */
public final class DevServer implements AutoCloseable {

  public static final int DEFAULT_PORT = 7233;

  private final TestServicesStarter services;
  private final Server server;

  private DevServer(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  public static DevServer start(int port) {
    // true = time skipping locked: the dev server runs in real time, like a real cluster
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      return new DevServer(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
