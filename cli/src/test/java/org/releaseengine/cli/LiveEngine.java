package org.releaseengine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.releaseengine.ServerUnderTest;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInPolicy;
import org.releaseengine.StandInStages;
import org.releaseengine.TestSigners;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.worker.DevServer;
import org.releaseengine.worker.EngineWorker;

/**
 * A Temporal server on a free loopback port (the real one under scripts/test.sh) with an engine
 * worker over the stand-in stages, and a way to run CLI command lines in-process against it.
 */
final class LiveEngine implements AutoCloseable {

  /** What one CLI invocation printed and returned. */
  record Run(int exitCode, String out, String err) {}

  final StandInStages stages = new StandInStages();
  final AutoCloseable server;
  final EngineWorker worker;

  /** The real server when the tests run on it (ServerUnderTest), else the embedded Java one. */
  LiveEngine() {
    this(new StandInPolicy());
  }

  /** SSH keys of the people tests act as, and their allowed_signers file. */
  static final TestSigners PEOPLE =
      TestSigners.create(
          Path.of("target/test-signers"),
          List.of("alice", "bob", "carol", "dave", "erin", "mallory", "ci"));

  /** The key to sign {@code person}'s decisions with ({@code --key}). */
  String key(String person) {
    return PEOPLE.key(person).toString();
  }

  /** The same, with this operator policy (a real PolicyGate, or the stand-in). */
  LiveEngine(PolicyActivities policy) {
    if (policy instanceof StandInPolicy standIn) {
      standIn.allowedSigners = PEOPLE.allowedSigners();
    }
    String address;
    if (ServerUnderTest.real()) {
      ServerUnderTest real = ServerUnderTest.start();
      server = real;
      address = real.address();
    } else {
      DevServer embedded = DevServer.start(freePort());
      server = embedded;
      address = embedded.address();
    }
    System.setProperty("temporal.address", address);
    worker = EngineWorker.start(address, "default", stages, new StandInNotifier(), policy);
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReleaseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    worker.close();
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    System.clearProperty("temporal.address");
  }
}
