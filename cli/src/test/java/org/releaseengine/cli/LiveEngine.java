package org.releaseengine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInStages;
import org.releaseengine.worker.DevEngine;

/**
 * The embedded Temporal server on a free loopback port with an engine worker over the stand-in
 * stages, and a way to run CLI command lines in-process against it.
 */
final class LiveEngine implements AutoCloseable {

  /** What one CLI invocation printed and returned. */
  record Run(int exitCode, String out, String err) {}

  final StandInStages stages = new StandInStages();
  final DevEngine engine = DevEngine.start(0, stages, new StandInNotifier());

  LiveEngine() {
    System.setProperty("temporal.address", engine.address());
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
    engine.close();
    System.clearProperty("temporal.address");
  }
}
