package org.releaseengine.cli;

/** A failure the CLI reports as one line on stderr, with the exit code that goes with it. */
public final class CliException extends RuntimeException {

  public static final int BAD_INPUT = 2;
  public static final int UNREACHABLE = 5;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(BAD_INPUT, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
