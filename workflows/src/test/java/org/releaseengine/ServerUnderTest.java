package org.releaseengine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal server in a process of its own, for the integration tests. With {@code
 * RELEASE_TEST_SERVER=real} (scripts/test.sh sets it) it is the real server, {@code
 * bin/release-server} (Temporal's dev server on SQLite, its database in a directory of the test's
 * own); otherwise the SDK's Java test server ({@code ServerMain}, in memory), which needs the
 * worker module's classes on the class path.
 */
public final class ServerUnderTest implements AutoCloseable {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  private final int port;
  private final Path dir;
  private final Path log;
  private final Map<String, String> environment;
  private Process process;
  private boolean removeOnClose;

  private ServerUnderTest(int port, Path dir, Map<String, String> environment) {
    this.port = port;
    this.dir = dir;
    this.log = dir.resolve("server.log");
    this.environment = environment;
  }

  /** Whether the tests run on the real Temporal server. */
  public static boolean real() {
    return "real".equals(System.getenv("RELEASE_TEST_SERVER"));
  }

  /** Starts a server on a free loopback port with a fresh database. */
  public static ServerUnderTest start() {
    try {
      ServerUnderTest server = start(freePort(), Files.createTempDirectory("release-server-"));
      server.removeOnClose = true;
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server on {@code port} whose database lives in {@code dir} (the real server). */
  public static ServerUnderTest start(int port, Path dir) {
    return start(port, dir, Map.of());
  }

  /** The same, with more variables for bin/release-server. */
  public static ServerUnderTest start(int port, Path dir, Map<String, String> environment) {
    ServerUnderTest server = new ServerUnderTest(port, dir, environment);
    server.launch();
    return server;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Kills the server with SIGKILL: no shutdown, no goodbye to its database. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the server did not die within 20 s");
    }
  }

  /** Starts the server again on the same port and database. */
  public void restart() {
    launch();
  }

  private void launch() {
    List<String> command =
        real()
            ? List.of(ROOT.resolve("bin/release-server").toString(), String.valueOf(port))
            : List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.releaseengine.worker.ServerMain",
                String.valueOf(port));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("RELEASE_SERVER_DIR", dir.toString());
    builder.environment().put("RELEASE_SERVER_HEADLESS", "1");
    builder.environment().putAll(environment);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(new InputStreamReader(process.getInputStream()));
                  var out =
                      Files.newBufferedWriter(
                          log,
                          java.nio.file.StandardOpenOption.CREATE,
                          java.nio.file.StandardOpenOption.APPEND)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                  out.write(line);
                  out.newLine();
                  out.flush();
                }
              } catch (IOException ignored) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    StringBuilder seen = new StringBuilder();
    try {
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null) {
          seen.append(line).append('\n');
          if (line.startsWith("release-server ready")) {
            return;
          }
        } else if (!process.isAlive()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    throw new IllegalStateException("the Temporal server did not start; it said:\n" + seen);
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (removeOnClose) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory: nothing more to do
      }
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
