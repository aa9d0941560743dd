package org.releaseengine.worker;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
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
  private final Server inProcess;
  private final String inProcessName;

  private DevServer(
      TestServicesStarter services, Server server, Server inProcess, String inProcessName) {
    this.services = services;
    this.server = server;
    this.inProcess = inProcess;
    this.inProcessName = inProcessName;
  }

  public static DevServer start(int port) {
    // true = time skipping locked: the dev server runs in real time, like a real cluster
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    // The same services in-process, for a worker in this JVM: no TCP, no HTTP/2 framing.
    String name = "release-engine-dev-" + port + "-" + System.nanoTime();
    InProcessServerBuilder local = InProcessServerBuilder.forName(name).directExecutor();
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), local);
    try {
      return new DevServer(services, builder.build().start(), local.build().start(), name);
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
  }

  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** A channel to this server that stays inside the JVM. */
  public ManagedChannel inProcessChannel() {
    return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
  }

  @Override
  public void close() {
    inProcess.shutdown();
    server.shutdown();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
