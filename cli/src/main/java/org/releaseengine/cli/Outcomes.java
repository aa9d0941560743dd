package org.releaseengine.cli;

/** How a command that waits says it was interrupted. */
final class Outcomes {

  private Outcomes() {}

  /** Waiting for the effect was interrupted (the CLI is being stopped). */
  static CliException interrupted() {
    Thread.currentThread().interrupt();
    return new CliException(1, "interrupted");
  }
}
