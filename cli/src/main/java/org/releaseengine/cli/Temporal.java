package org.releaseengine.cli;

import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.releaseengine.client.ConnectionSettingException;
import org.releaseengine.client.TemporalConnection;
import org.releaseengine.client.TemporalUi;

/**
 * The connection every command uses: TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE, and TLS and an API key
 * (TemporalConnection), like the temporal CLI.
 */
public final class Temporal {

  static final String DEFAULT_ADDRESS = "127.0.0.1:7233";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private Temporal() {}

  /** TEMPORAL_ADDRESS, else the {@code temporal.address} system property (tests), else loopback. */
  public static String address() {
    String address = System.getenv("TEMPORAL_ADDRESS");
    if (address == null || address.isBlank()) {
      address = System.getProperty("temporal.address");
    }
    return address == null || address.isBlank() ? DEFAULT_ADDRESS : address;
  }

  public static String namespace() {
    String namespace = System.getenv("TEMPORAL_NAMESPACE");
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  /**
   * The Temporal Web UI's page of one workflow run, when TEMPORAL_UI_ADDRESS (or the {@code
   * temporal.ui.address} system property) says where the UI is: {@code host:port} or a URL.
   */
  static Optional<String> uiLink(String workflowId, String runId) {
    return uiAddress().flatMap(ui -> new TemporalUi(ui).link(namespace(), workflowId, runId));
  }

  /** Whether TEMPORAL_UI_ADDRESS (or {@code temporal.ui.address}) says where the UI is. */
  static boolean uiConfigured() {
    return uiAddress().isPresent();
  }

  private static Optional<String> uiAddress() {
    String ui = System.getenv("TEMPORAL_UI_ADDRESS");
    if (ui == null || ui.isBlank()) {
      ui = System.getProperty("temporal.ui.address");
    }
    return ui == null || ui.isBlank() ? Optional.empty() : Optional.of(ui);
  }

  /** The address with the TLS and API key settings; a bad setting is exit code 2. */
  static TemporalConnection connection() {
    try {
      return TemporalConnection.fromEnvironment(address(), System.getenv());
    } catch (ConnectionSettingException e) {
      throw CliException.badInput(e.getMessage());
    }
  }

  /**
   * The client of every command: a refused port fails at once with exit code 5 (the probe); the
   * channel itself connects, TLS and credentials included, on the command's first call, whose
   * failure ReleaseCli reports as exit code 5 naming the address (and TLS or the credentials when
   * they are why). No health check or other round trip goes before that first call. When {@link
   * #connectEarly} began connecting for this command line, its client (or its failure).
   */
  public static WorkflowClient connect() {
    Session session = SESSION.get();
    Future<WorkflowClient> early = session.takeEarly();
    return early == null ? open(session) : await(early);
  }

  /**
   * Begins connecting, on a thread of its own, while the command line is parsed: the connection
   * depends on the environment only. Its first call's round trip (the server's capabilities, which
   * the SDK asks before any other call) goes ahead too; how that fails does not matter here, since
   * the command's own first call asks again and reports it as usual. A command line that fails to
   * parse ends without its connection being used.
   */
  static void connectEarly() {
    Session session = SESSION.get();
    FutureTask<WorkflowClient> early = new FutureTask<>(() -> open(session));
    session.early = early;
    Thread thread =
        new Thread(
            () -> {
              early.run();
              try {
                early.get().getWorkflowServiceStubs().getServerCapabilities().get();
              } catch (RuntimeException | InterruptedException | ExecutionException e) {
                // the command's first call asks again (or connect reports why there is none)
              }
            },
            "release-cli-connect");
    thread.setDaemon(true);
    thread.start();
  }

  private static WorkflowClient await(Future<WorkflowClient> early) {
    try {
      return early.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted while connecting to Temporal");
    }
  }

  private static WorkflowClient open(Session session) {
    TemporalConnection connection = connection();
    probe(connection.address());
    try {
      EventLoopGroup loop =
          new NioEventLoopGroup(1, new DefaultThreadFactory("release-cli-grpc", true));
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(onLoop(connection.stubsOptions(), loop));
      session.opened.add(new Opened(service, loop));
      // the handshake (TCP, TLS, HTTP/2) on the event loop meanwhile: the first call needs it
      service.getRawChannel().getState(true);
      return WorkflowClient.newInstance(
          service,
          WorkflowClientOptions.newBuilder()
              .setNamespace(namespace())
              .setIdentity(clientIdentity())
              .build());
    } catch (RuntimeException e) {
      throw unreachable(e);
    }
  }

  /**
   * The identity Temporal records for this client: pid@host, the SDK's default, which the SDK reads
   * through JMX (tens of milliseconds of a fresh JVM's start for one string).
   */
  static String clientIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return ProcessHandle.current().pid() + "@" + host;
  }

  /**
   * What the command line running on this thread connected: the connections it opened, closed when
   * it has run (see {@link #closeAll}), and the one being opened for it early. Command lines run
   * side by side in one JVM (tests) close only their own.
   */
  private static final ThreadLocal<Session> SESSION = ThreadLocal.withInitial(Session::new);

  private static final class Session {
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    Future<WorkflowClient> early;

    Future<WorkflowClient> takeEarly() {
      Future<WorkflowClient> taken = early;
      early = null;
      return taken;
    }
  }

  private record Opened(WorkflowServiceStubs service, EventLoopGroup loop) {}

  /**
   * The same options (TLS, credentials, server name), with the channel's I/O on an event loop of
   * the command's own instead of gRPC's shared one, which outlives the channel by a second.
   */
  private static WorkflowServiceStubsOptions onLoop(
      WorkflowServiceStubsOptions options, EventLoopGroup loop) {
    Consumer<ManagedChannelBuilder<?>> settings = options.getChannelInitializer();
    return WorkflowServiceStubsOptions.newBuilder(options)
        .setChannelInitializer(
            channel -> {
              if (settings != null) {
                settings.accept(channel);
              }
              ((NettyChannelBuilder) channel)
                  .eventLoopGroup(loop)
                  .channelType(NioSocketChannel.class);
            })
        .build();
  }

  /**
   * Closes what {@link #connect} (or {@link #connectEarly}) opened for the command line running on
   * this thread, the event loop's thread included. The JVM, before it exits, waits up to 300 ms for
   * any thread that is in a native call, as an event loop waiting for I/O is: a command line that
   * left its loop running would end that much later.
   */
  static void closeAll() {
    Session session = SESSION.get();
    SESSION.remove();
    Future<WorkflowClient> early = session.takeEarly();
    if (early != null) {
      try {
        early.get(); // a connection still being opened is closed too
      } catch (ExecutionException | InterruptedException e) {
        // nothing was opened, or closing is all that is left
      }
    }
    List<Opened> closing = List.copyOf(session.opened);
    closing.forEach(opened -> opened.service().shutdownNow());
    for (Opened opened : closing) {
      opened
          .loop()
          .shutdownGracefully(0, 1, TimeUnit.SECONDS)
          .awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }

  /** Why Temporal refused the connection, when TLS or the credentials explain it. */
  static Optional<String> refusal(Throwable failure) {
    try {
      return connection().explain(failure);
    } catch (CliException e) {
      return Optional.empty();
    }
  }

  /** A plain TCP connect first: a refused port fails in milliseconds instead of gRPC's retries. */
  private static void probe(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      return;
    }
    try (Socket socket = new Socket()) {
      int port = Integer.parseInt(address.substring(colon + 1));
      socket.connect(
          new InetSocketAddress(address.substring(0, colon), port),
          (int) CONNECT_TIMEOUT.toMillis());
    } catch (NumberFormatException e) {
      throw CliException.badInput("TEMPORAL_ADDRESS '" + address + "' is not host:port");
    } catch (IOException e) {
      throw new CliException(
          CliException.UNREACHABLE,
          "cannot reach Temporal at "
              + address
              + " ("
              + e.getMessage()
              + "); start it with bin/release-worker --dev or set TEMPORAL_ADDRESS");
    }
  }

  static CliException unreachable(Throwable cause) {
    Optional<String> refused = refusal(cause);
    if (refused.isPresent()) {
      return new CliException(CliException.UNREACHABLE, refused.get());
    }
    String why =
        cause instanceof StatusRuntimeException s
            ? s.getStatus().getCode().name()
            : cause.getClass().getSimpleName();
    return new CliException(
        CliException.UNREACHABLE,
        "cannot reach Temporal at "
            + address()
            + " ("
            + why
            + "); start it with bin/release-worker --dev or set TEMPORAL_ADDRESS");
  }

  static boolean isUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && (s.getStatus().getCode() == Status.Code.UNAVAILABLE
              || s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
        return true;
      }
    }
    return false;
  }

  static boolean isNotFound(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
      if (t instanceof io.temporal.client.WorkflowNotFoundException) {
        return true;
      }
    }
    return false;
  }
}
