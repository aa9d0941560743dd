package org.releaseengine.model;

/**
 * The states of a release and the exit code `release-cli start --wait` gives for each final one.
 */
public enum ReleaseState {
  RUNNING(-1),
  AWAITING_APPROVAL(-1),
  SUCCEEDED(0),
  FAILED(1),
  REJECTED(3),
  EXPIRED(3),
  ABORTED(3),
  ROLLED_BACK(4);

  private final int exitCode;

  ReleaseState(int exitCode) {
    this.exitCode = exitCode;
  }

  public boolean isFinal() {
    return exitCode >= 0;
  }

  public int exitCode() {
    return exitCode;
  }
}
