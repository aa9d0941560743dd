package org.releaseengine.cli;

import java.io.PrintWriter;
import org.releaseengine.client.SignalWatch.Outcome;

/**
 * A signal's outcome as the CLI reports it: a line on stdout, or one on stderr with its exit code.
 */
final class Outcomes {

  private Outcomes() {}

  static int report(Outcome outcome, PrintWriter out) {
    switch (outcome.result()) {
      case ACCEPTED -> out.println(outcome.message());
      case REFUSED -> throw CliException.badInput(outcome.message());
      default -> throw new CliException(1, outcome.message());
    }
    return 0;
  }

  /** Waiting for the effect was interrupted (the CLI is being stopped). */
  static CliException interrupted() {
    Thread.currentThread().interrupt();
    return new CliException(1, "interrupted");
  }
}
